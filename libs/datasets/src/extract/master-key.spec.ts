import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tre/core';
import { loadMasterKey } from './master-key';

const dir = () => mkdtempSync(join(tmpdir(), 'tre-master-key-'));

describe('the pseudonymisation master key', () => {
  it('is generated once outside production, private to its owner, and read back unchanged', async () => {
    const path = join(dir(), 'nested', 'master.key');
    const first = await loadMasterKey(path, true);
    expect(first).toHaveLength(32);
    expect(statSync(path).mode & 0o077).toBe(0);
    expect((await loadMasterKey(path, true)).equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(first)).toBe(true);
  });

  it('stops start-up in production when the file is missing, naming the setting', async () => {
    const path = join(dir(), 'absent.key');
    await expect(loadMasterKey(path, false)).rejects.toThrow(ConfigError);
    await expect(loadMasterKey(path, false)).rejects.toThrow(
      /PSEUDONYMISATION_KEY_FILE names .*absent.key, which does not exist/,
    );
  });

  it('refuses a short key, naming the setting', async () => {
    const path = join(dir(), 'short.key');
    writeFileSync(path, Buffer.alloc(16, 1).toString('base64'));
    await expect(loadMasterKey(path, true)).rejects.toThrow(
      /PSEUDONYMISATION_KEY_FILE holds a key of 16 bytes; at least 32/,
    );
  });
});
