import { createHmac, randomBytes } from 'node:crypto';
import { ShortHmacSha256, SHORT_MESSAGE_MAX_BYTES } from './hmac-sha256-short';
import { NHS_NUMBER_DOMAIN, Pseudonymiser, pseudonymise } from './pseudonymiser';

function hexOf(hmac: ShortHmacSha256, message: Buffer): string {
  const out = Buffer.alloc(66, '#');
  hmac.hexInto(Buffer.concat([Buffer.from('xx'), message, Buffer.from('yy')]), 2, 2 + message.length, out, 1);
  expect([out[0], out[65]]).toEqual([0x23, 0x23]);
  return out.subarray(1, 65).toString('latin1');
}

describe('ShortHmacSha256', () => {
  it('matches createHmac for every accepted message length and keys of 0 to 64 bytes', () => {
    for (const keyLength of [0, 1, 16, 32, 63, 64]) {
      const key = randomBytes(keyLength);
      const hmac = new ShortHmacSha256(key);
      for (let length = 0; length <= SHORT_MESSAGE_MAX_BYTES; length += 1) {
        const message = randomBytes(length);
        expect(hexOf(hmac, message)).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });

  it('matches createHmac on many random keys and messages', () => {
    for (let i = 0; i < 2_000; i += 1) {
      const key = randomBytes(32);
      const message = randomBytes(i % (SHORT_MESSAGE_MAX_BYTES + 1));
      expect(hexOf(new ShortHmacSha256(key), message)).toBe(
        createHmac('sha256', key).update(message).digest('hex'),
      );
    }
  });

  it('refuses long messages and long keys', () => {
    const hmac = new ShortHmacSha256(randomBytes(32));
    const long = Buffer.alloc(SHORT_MESSAGE_MAX_BYTES + 1);
    expect(() => hmac.hexInto(long, 0, long.length, Buffer.alloc(64), 0)).toThrow(/0 to 55 bytes/);
    expect(() => new ShortHmacSha256(randomBytes(65))).toThrow(/longer than one block/);
  });
});

describe('Pseudonymiser.nhsNumberHexInto', () => {
  it('writes the same pseudonym as pseudonymise', () => {
    const key = randomBytes(32);
    const pseudonymiser = new Pseudonymiser(key);
    for (const number of ['9434765919', '9990000018', '0000000000']) {
      const out = Buffer.alloc(70);
      pseudonymiser.nhsNumberHexInto(Buffer.from(`ab${number}`, 'latin1'), 2, out, 3);
      expect(out.subarray(3, 67).toString('latin1')).toBe(pseudonymise(key, NHS_NUMBER_DOMAIN, number));
    }
  });
});
