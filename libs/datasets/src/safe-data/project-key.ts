import { hkdfSync } from 'node:crypto';

/**
 * Per-project keys. Each project's pseudonyms come from its own key, derived from one master key, so the same
 * person gets unlinkable pseudonyms in two projects while the service keeps a single secret. The key version is
 * part of the derivation, so rotating a project's key (new version) changes every pseudonym of that project.
 *
 * Construction (RFC 5869 HKDF with SHA-256):
 *   projectKey = HKDF-SHA256(ikm = masterKey, salt = PROJECT_KEY_SALT, info = projectKeyInfo(id, version), L = 32)
 *   PROJECT_KEY_SALT = UTF-8 bytes of "tre/project-key-salt/v1" (23 bytes, hex 7472652f70726f6a6563742d6b65792d73616c742f7631)
 *   info             = UTF-8 bytes of "tre/project-key/v1|" + projectId + "|" + decimal keyVersion (no padding)
 * The salt is public and fixed: it only separates these keys from any other use of the same master key.
 */

export const PROJECT_KEY_SALT: Buffer = Buffer.from('tre/project-key-salt/v1', 'utf8');
export const PROJECT_KEY_INFO_PREFIX = 'tre/project-key/v1';
export const PROJECT_KEY_BYTES = 32;
/** A master key shorter than the HMAC-SHA256 output would be the weakest link, so it is refused. */
export const MIN_MASTER_KEY_BYTES = 32;

/** The exact HKDF info bytes for a project and key version. */
export function projectKeyInfo(projectId: string, keyVersion: number): Buffer {
  if (projectId.length === 0) throw new RangeError('projectId must not be empty');
  // The version is the last field and a plain integer, so the info string parses back unambiguously even if
  // a project id were to contain '|'.
  if (!Number.isSafeInteger(keyVersion) || keyVersion < 1) {
    throw new RangeError(`keyVersion must be a positive integer, got ${keyVersion}`);
  }
  return Buffer.from(`${PROJECT_KEY_INFO_PREFIX}|${projectId}|${keyVersion}`, 'utf8');
}

export function deriveProjectKey(masterKey: Buffer, projectId: string, keyVersion: number): Buffer {
  if (masterKey.length < MIN_MASTER_KEY_BYTES) {
    throw new RangeError(
      `master key must be at least ${MIN_MASTER_KEY_BYTES} bytes, got ${masterKey.length}`,
    );
  }
  const info = projectKeyInfo(projectId, keyVersion);
  return Buffer.from(hkdfSync('sha256', masterKey, PROJECT_KEY_SALT, info, PROJECT_KEY_BYTES));
}
