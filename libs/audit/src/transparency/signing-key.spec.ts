import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@tre/core';
import { loadSigningKey } from './signing-key';

const dir = () => mkdtempSync(join(tmpdir(), 'tre-tkey-'));

describe('transparency signing key', () => {
  it('is generated once outside production, private to its owner, and the same key on the next load', async () => {
    const path = join(dir(), 'key.pem');
    const first = await loadSigningKey(path, true);
    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(statSync(path).mode & 0o077).toBe(0);
    const again = await loadSigningKey(path, true);
    expect(again.publicKey.export({ format: 'pem', type: 'spki' })).toEqual(
      first.publicKey.export({ format: 'pem', type: 'spki' }),
    );
    expect(readFileSync(path, 'utf8')).toContain('PRIVATE KEY');
  });

  it('is required in production, naming the setting', async () => {
    await expect(loadSigningKey(join(dir(), 'missing.pem'), false)).rejects.toThrow(ConfigError);
    await expect(loadSigningKey(join(dir(), 'missing.pem'), false)).rejects.toThrow(/TRANSPARENCY_KEY_FILE/);
  });

  it('refuses a file that is not an Ed25519 private key', async () => {
    const garbage = join(dir(), 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    await expect(loadSigningKey(garbage, true)).rejects.toThrow(/does not hold a PEM private key/);
    const rsa = join(dir(), 'rsa.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadSigningKey(rsa, true)).rejects.toThrow(/Ed25519 is required/);
  });
});
