import { createHmac } from 'node:crypto';
import { SHORT_MESSAGE_MAX_BYTES, ShortHmacSha256 } from './hmac-sha256-short';
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
 * Nothing maps identifiers to pseudonyms anywhere: no cache, no lookup table. A stored table would be a
 * re-identification key that outlives the project; recomputing an HMAC costs about a microsecond (the extract
 * only remembers the last person read, whose rows sit together in the sources).
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
  readonly #short: ShortHmacSha256;
  /** `nhs_number\0` followed by room for the ten digits. */
  readonly #nhsMessage = Buffer.from(`${NHS_NUMBER_DOMAIN}${DOMAIN_SEPARATOR}0000000000`, 'latin1');
  readonly #message = Buffer.alloc(SHORT_MESSAGE_MAX_BYTES);
  readonly #hex = Buffer.alloc(64);

  constructor(projectKey: Buffer) {
    assertProjectKey(projectKey);
    // A copy, so a caller that later zeroes or reuses its buffer cannot change this project's pseudonyms.
    this.#projectKey = Buffer.from(projectKey);
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
    return this.#hexOf(domain + DOMAIN_SEPARATOR + normalisedIdentifier);
  }

  /**
   * Normalises, checks the modulus-11 digit and pseudonymises; null for an invalid NHS number, which the caller
   * counts and never links on.
   */
  pseudonymiseNhsNumber(rawNhsNumber: string | null | undefined): string | null {
    const normalised = normaliseNhsNumber(rawNhsNumber);
    return normalised === null ? null : this.#hexOf(NHS_NUMBER_DOMAIN + DOMAIN_SEPARATOR + normalised);
  }

  /** Short messages (domain tag and identifier: nearly all) through the short HMAC, others through node:crypto. */
  #hexOf(message: string): string {
    if (Buffer.byteLength(message, 'utf8') > SHORT_MESSAGE_MAX_BYTES) {
      return createHmac('sha256', this.#projectKey).update(message, 'utf8').digest('hex');
    }
    const length = this.#message.write(message, 0, 'utf8');
    this.#short.hexInto(this.#message, 0, length, this.#hex, 0);
    return this.#hex.toString('latin1');
  }
}
