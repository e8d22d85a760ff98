import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createFileOnce } from '@tre/core';
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export const DEV_ISSUER = 'tre-dev';
export const DEV_AUDIENCE = 'tre';
const ALG = 'ES256';

export interface DevKeys {
  readonly kid: string;
  readonly privateKey: KeyLike | Uint8Array;
  readonly publicKey: KeyLike | Uint8Array;
}

interface StoredKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

async function generate(path: string): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const stored: StoredKey = {
    kid: randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  await createFileOnce(path, JSON.stringify(stored));
}

/**
 * The development signing key: generated on first use into a file outside the repository (DEV_KEY_FILE),
 * shared by the API, the worker and `tre token` on the same machine.
 */
export async function loadDevKeys(path: string): Promise<DevKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    await generate(path);
    text = await readFile(path, 'utf8');
  }
  const stored = JSON.parse(text) as StoredKey;
  return {
    kid: stored.kid,
    privateKey: await importJWK(stored.privateJwk, ALG),
    publicKey: await importJWK(stored.publicJwk, ALG),
  };
}
