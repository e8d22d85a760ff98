import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError, createFileOnce } from '@tre/core';
import { MIN_MASTER_KEY_BYTES } from '../safe-data';

const SETTING = 'PSEUDONYMISATION_KEY_FILE';

/**
 * Reads the pseudonymisation master key (base64 in a file kept outside the repository). Outside production a
 * missing key is generated once, so a development machine works out of the box; in production a missing or
 * short key stops the worker at start-up, naming the setting.
 */
export async function loadMasterKey(path: string, generateIfMissing: boolean): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    if (!generateIfMissing) throw new ConfigError([`${SETTING} names ${path}, which does not exist`]);
    await createFileOnce(path, `${randomBytes(32).toString('base64')}\n`);
    text = await readFile(path, 'utf8');
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length < MIN_MASTER_KEY_BYTES) {
    throw new ConfigError([
      `${SETTING} holds a key of ${key.length} bytes; at least ${MIN_MASTER_KEY_BYTES} random bytes (base64) are required`,
    ]);
  }
  return key;
}
