import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, createFileOnce } from '@tre/core';

const SETTING = 'TRANSPARENCY_KEY_FILE';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Reads the Ed25519 key that signs tree heads (PKCS#8 PEM, kept outside the database: whoever owns the
 * database must not be able to sign a rewritten history). Outside production a missing key is generated
 * once; in production a missing or non-Ed25519 key is refused, naming the setting.
 */
export async function loadSigningKey(path: string, generateIfMissing: boolean): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    if (!generateIfMissing) throw new ConfigError([`${SETTING} names ${path}, which does not exist`]);
    const { privateKey } = generateKeyPairSync('ed25519');
    await createFileOnce(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    pem = await readFile(path, 'utf8');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigError([`${SETTING} (${path}) does not hold a PEM private key`]);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError([
      `${SETTING} (${path}) holds a ${privateKey.asymmetricKeyType} key; Ed25519 is required`,
    ]);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
