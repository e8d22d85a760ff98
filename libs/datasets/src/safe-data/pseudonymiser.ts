import { createHmac, hash } from 'node:crypto';
import { ShortHmacSha256 } from './hmac-sha256-short';
import { normaliseNhsNumber } from './nhs-number';
import { PROJECT_KEY_BYTES } from './project-key';

/**
 * Pseudonyms: pseudonym = lowercase hex of HMAC-SHA256(projectKey, UTF-8(domain + "\0" + normalisedIdentifier)),
 * 64 characters. The domain tag (for example `nhs_number`) keeps identifier kinds apart, so an NHS number and a
 * hospital number that happen to share digits never collide. Domains are lowercase words without NUL, so the
 * first NUL always marks where the domain ends and the message is unambiguous.
 *
 * Hex rather than base32: every tool (openssl, Python, SQL) prints it, which keeps the vectors checkable. A hex
 * pseudonym is never mistaken for an NHS number or phone number by the residual scanner, because the scanner
 * only matches digit runs that stand alone, not ones glued to letters.
 *
 * Nothing maps identifiers to pseudonyms anywhere: no cache, no lookup table, no memo. A stored table would be
 * a re-identification key that outlives the project; recomputing an HMAC costs about two microseconds.
 */

export const NHS_NUMBER_DOMAIN = 'nhs_number';
const DOMAIN_TAG = /^[a-z][a-z0-9_]*$/;
const DOMAIN_SEPARATOR = '\0';

function assertDomain(domain: string): void {
  if (!DOMAIN_TAG.test(domain)) {
    throw new RangeError(
      `pseudonym domain must be a lowercase word like "nhs_number", got ${JSON.stringify(domain)}`,
    );
  }
}

function assertProjectKey(projectKey: Buffer): void {
  if (projectKey.length !== PROJECT_KEY_BYTES) {
    throw new RangeError(`project key must be ${PROJECT_KEY_BYTES} bytes, got ${projectKey.length}`);
  }
}

/** The pseudonym of an identifier that the caller has already normalised (for NHS numbers: ten digits). */
export function pseudonymise(projectKey: Buffer, domain: string, normalisedIdentifier: string): string {
  assertProjectKey(projectKey);
  assertDomain(domain);
  return hmacHex(projectKey, domain, normalisedIdentifier);
}

function hmacHex(projectKey: Buffer, domain: string, normalisedIdentifier: string): string {
  return createHmac('sha256', projectKey)
    .update(domain + DOMAIN_SEPARATOR + normalisedIdentifier, 'utf8')
    .digest('hex');
}

/**
 * Pseudonymises for one project key. It holds a private copy of the key and nothing else: it deliberately
 * caches no identifier -> pseudonym pairs (see the module comment), so calling it twice recomputes.
 */
export class Pseudonymiser {
  // ECMAScript private fields, so logging or serialising the object never prints key material.
  readonly #projectKey: Buffer;
  readonly #hmac: KeyedSha256;
  readonly #short: ShortHmacSha256;
  /** `nhs_number\0` followed by room for the ten digits. */
  readonly #nhsMessage = Buffer.from(`${NHS_NUMBER_DOMAIN}${DOMAIN_SEPARATOR}0000000000`, 'latin1');

  constructor(projectKey: Buffer) {
    assertProjectKey(projectKey);
    // A copy, so a caller that later zeroes or reuses its buffer cannot change this project's pseudonyms.
    this.#projectKey = Buffer.from(projectKey);
    this.#hmac = new KeyedSha256(this.#projectKey);
    this.#short = new ShortHmacSha256(this.#projectKey);
  }

  /**
   * The NHS-number pseudonym of a normalised number given as its ten ASCII digits (digits[start..start+10)),
   * written as 64 hex bytes at out[at..]: the same value as pseudonymise(NHS_NUMBER_DOMAIN, digits), for the
   * extract's byte-level hot path, which neither builds strings nor allocates.
   */
  nhsNumberHexInto(digits: Uint8Array, start: number, out: Uint8Array, at: number): void {
    const message = this.#nhsMessage;
    const offset = message.length - 10;
    for (let i = 0; i < 10; i += 1) message[offset + i] = digits[start + i];
    this.#short.hexInto(message, 0, message.length, out, at);
  }

  pseudonymise(domain: string, normalisedIdentifier: string): string {
    assertDomain(domain);
    return this.#hmac.hex(domain + DOMAIN_SEPARATOR + normalisedIdentifier);
  }

  /**
   * Normalises, checks the modulus-11 digit and pseudonymises; null for an invalid NHS number, which the caller
   * counts and never links on.
   */
  pseudonymiseNhsNumber(rawNhsNumber: string | null | undefined): string | null {
    const normalised = normaliseNhsNumber(rawNhsNumber);
    return normalised === null ? null : this.#hmac.hex(NHS_NUMBER_DOMAIN + DOMAIN_SEPARATOR + normalised);
  }
}

const BLOCK = 64;
const DIGEST = 32;

/**
 * HMAC-SHA256 (RFC 2104) with the padded key blocks computed once and two one-shot SHA-256 calls per message.
 * Same output as createHmac, which the known-answer specs check; but no native Hmac object per call, whose
 * creation and garbage collection dominated the extract at millions of people.
 */
class KeyedSha256 {
  readonly #inner: Buffer;
  readonly #outer = Buffer.alloc(BLOCK + DIGEST);

  constructor(key: Buffer) {
    if (key.length > BLOCK) throw new RangeError('HMAC keys longer than one block are not used here');
    this.#inner = Buffer.alloc(BLOCK + 256);
    for (let i = 0; i < BLOCK; i += 1) {
      const k = i < key.length ? key[i] : 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
  }

  hex(message: string): string {
    // Short messages (domain tag + identifier) are written into a reused buffer after the inner pad.
    const length = Buffer.byteLength(message, 'utf8');
    const inner =
      length <= this.#inner.length - BLOCK
        ? this.#inner.subarray(0, BLOCK + this.#inner.write(message, BLOCK, 'utf8'))
        : Buffer.concat([this.#inner.subarray(0, BLOCK), Buffer.from(message, 'utf8')]);
    hash('sha256', inner, 'buffer').copy(this.#outer, BLOCK);
    return hash('sha256', this.#outer, 'hex');
  }
}
