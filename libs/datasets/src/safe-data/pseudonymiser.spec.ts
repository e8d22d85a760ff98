import { inspect } from 'node:util';
import { createRng } from './rng';
import { makeTestNhsNumber } from './nhs-number';
import { deriveProjectKey, projectKeyInfo, PROJECT_KEY_SALT } from './project-key';
import { NHS_NUMBER_DOMAIN, Pseudonymiser, pseudonymise } from './pseudonymiser';

/*
 * Known-answer vectors, computed outside this code base, twice:
 * 1. Python 3 with hmac + hashlib and an inline RFC 5869 HKDF (extract: PRK = HMAC(salt, ikm); expand:
 *    T(i) = HMAC(PRK, T(i-1) | info | i)); the same function reproduces RFC 5869 test case 1's OKM (3cb25f25...5865).
 * 2. OpenSSL 3.0:
 *    openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:000102...1f \
 *      -kdfopt salt:tre/project-key-salt/v1 -kdfopt 'info:tre/project-key/v1|project-a|1' HKDF
 *    printf 'nhs_number\0009434765919' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<project key>
 * Master key: bytes 0x00..0x1f. Identifier: 9434765919.
 */
const MASTER_KEY = Buffer.from(Array.from({ length: 32 }, (_, index) => index));
const NHS_NUMBER = '9434765919';
const VECTORS = {
  projectA1: {
    key: 'ca444c147611e839d5e2c97d56ec7b8d7edc6d7e841cf93a0847760dfb5e8c21',
    nhs: 'd4c33d15fa21fe7605c7ab810a9b1f84b34c6783fe5eae481badaceea4c5ae5a',
    hospitalNumber: 'c28fee12ad459cae59cbc3d132a355495f383a5e5d2b85a544f55214ec20439b',
  },
  projectA2: {
    key: '5bc45b997fa8d5705ff18f32c9f607df3c12f542d6c9e1071bf8962820f9f509',
    nhs: '95396aaa23c9fbc10f6f9b52425c146e2082cc1a359dbd8c8f3238e7683fbabc',
  },
  projectB1: {
    key: 'a710fd29118a4c53a2285f8478fbc8be4528785802223dd7a40a555b87d714ad',
    nhs: 'eb9f1ad3b6efdfba70c07f50056851b7d64dc9938a809c66a6db26a20fa77898',
  },
};

describe('deriveProjectKey', () => {
  it('uses the documented salt and info bytes', () => {
    expect(PROJECT_KEY_SALT.toString('hex')).toBe('7472652f70726f6a6563742d6b65792d73616c742f7631');
    expect(projectKeyInfo('project-a', 12).toString('utf8')).toBe('tre/project-key/v1|project-a|12');
  });

  it('matches the independently computed HKDF-SHA256 vectors', () => {
    expect(deriveProjectKey(MASTER_KEY, 'project-a', 1).toString('hex')).toBe(VECTORS.projectA1.key);
    expect(deriveProjectKey(MASTER_KEY, 'project-a', 2).toString('hex')).toBe(VECTORS.projectA2.key);
    expect(deriveProjectKey(MASTER_KEY, 'project-b', 1).toString('hex')).toBe(VECTORS.projectB1.key);
  });

  it('refuses a short master key, an empty project id and a bad key version', () => {
    expect(() => deriveProjectKey(MASTER_KEY.subarray(0, 31), 'project-a', 1)).toThrow(/at least 32 bytes/);
    expect(() => deriveProjectKey(MASTER_KEY, '', 1)).toThrow(/projectId/);
    for (const version of [0, -1, 1.5, Number.NaN]) {
      expect(() => deriveProjectKey(MASTER_KEY, 'project-a', version)).toThrow(/keyVersion/);
    }
  });
});

describe('pseudonymise', () => {
  const keyA1 = Buffer.from(VECTORS.projectA1.key, 'hex');

  it('matches the independently computed HMAC-SHA256 vectors', () => {
    expect(pseudonymise(keyA1, NHS_NUMBER_DOMAIN, NHS_NUMBER)).toBe(VECTORS.projectA1.nhs);
    expect(pseudonymise(keyA1, 'hospital_number', NHS_NUMBER)).toBe(VECTORS.projectA1.hospitalNumber);
  });

  it('gives one person different pseudonyms in different projects and key versions', () => {
    const forKey = (project: string, version: number) =>
      pseudonymise(deriveProjectKey(MASTER_KEY, project, version), NHS_NUMBER_DOMAIN, NHS_NUMBER);
    expect(forKey('project-a', 1)).toBe(VECTORS.projectA1.nhs);
    expect(forKey('project-a', 2)).toBe(VECTORS.projectA2.nhs);
    expect(forKey('project-b', 1)).toBe(VECTORS.projectB1.nhs);
    expect(new Set([forKey('project-a', 1), forKey('project-a', 2), forKey('project-b', 1)]).size).toBe(3);
  });

  it('refuses domains that could blur the separator and keys of the wrong size', () => {
    for (const domain of ['', 'NHS', 'nhs\0number', 'nhs number', '1nhs']) {
      expect(() => pseudonymise(keyA1, domain, NHS_NUMBER)).toThrow(/domain/);
    }
    expect(() => pseudonymise(keyA1.subarray(0, 16), NHS_NUMBER_DOMAIN, NHS_NUMBER)).toThrow(/32 bytes/);
  });
});

describe('Pseudonymiser', () => {
  const keyA1 = Buffer.from(VECTORS.projectA1.key, 'hex');

  it('normalises, validates and pseudonymises NHS numbers', () => {
    const pseudonymiser = new Pseudonymiser(keyA1);
    expect(pseudonymiser.pseudonymiseNhsNumber('943 476 5919')).toBe(VECTORS.projectA1.nhs);
    expect(pseudonymiser.pseudonymiseNhsNumber('943-476-5919')).toBe(VECTORS.projectA1.nhs);
    expect(pseudonymiser.pseudonymise(NHS_NUMBER_DOMAIN, NHS_NUMBER)).toBe(VECTORS.projectA1.nhs);
  });

  it('returns null for invalid or missing NHS numbers (they are counted, never linked)', () => {
    const pseudonymiser = new Pseudonymiser(keyA1);
    expect(pseudonymiser.pseudonymiseNhsNumber('9434765918')).toBeNull();
    expect(pseudonymiser.pseudonymiseNhsNumber('')).toBeNull();
    expect(pseudonymiser.pseudonymiseNhsNumber(null)).toBeNull();
  });

  it('is stable across calls and instances and unaffected by later changes to the caller key buffer', () => {
    const callerKey = Buffer.from(keyA1);
    const pseudonymiser = new Pseudonymiser(callerKey);
    callerKey.fill(0);
    const again = new Pseudonymiser(Buffer.from(VECTORS.projectA1.key, 'hex'));
    const numbers = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          makeTestNhsNumber(rng)
      )(createRng(9)),
    );
    for (const number of numbers) {
      const first = pseudonymiser.pseudonymiseNhsNumber(number);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(pseudonymiser.pseudonymiseNhsNumber(number)).toBe(first);
      expect(again.pseudonymiseNhsNumber(number)).toBe(first);
    }
    expect(pseudonymiser.pseudonymiseNhsNumber(NHS_NUMBER)).toBe(VECTORS.projectA1.nhs);
  });

  it('exposes no state: no lookup table, and the key never shows up when the object is logged', () => {
    const pseudonymiser = new Pseudonymiser(keyA1);
    pseudonymiser.pseudonymiseNhsNumber(NHS_NUMBER);
    expect(Object.keys(pseudonymiser)).toEqual([]);
    expect(JSON.stringify(pseudonymiser)).toBe('{}');
    expect(inspect(pseudonymiser, { showHidden: true })).not.toContain(VECTORS.projectA1.key.slice(0, 8));
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new Pseudonymiser(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});

describe('Pseudonymiser agrees with createHmac', () => {
  it('on many identifiers, on multi-byte text, and on a message longer than its reused buffer', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) % 256));
    const fast = new Pseudonymiser(key);
    const identifiers = [
      ...Array.from({ length: 500 }, (_, i) => String(9990000000 + i * 7919)),
      'ÅSA-ÖSTBERG-ß',
      // 11 bytes of `nhs_number\0` and these make 55 bytes (one SHA-256 block) and 56 (two).
      'y'.repeat(44),
      'y'.repeat(45),
      'é'.repeat(22),
      'x'.repeat(400),
    ];
    for (const identifier of identifiers) {
      expect(fast.pseudonymise('nhs_number', identifier)).toBe(pseudonymise(key, 'nhs_number', identifier));
    }
  });
});
