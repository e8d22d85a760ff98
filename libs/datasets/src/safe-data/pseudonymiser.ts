import { createHmac } from 'node:crypto';
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
  // An ECMAScript private field, so logging or serialising the object never prints the key.
  readonly #projectKey: Buffer;

  constructor(projectKey: Buffer) {
    assertProjectKey(projectKey);
    // A copy, so a caller that later zeroes or reuses its buffer cannot change this project's pseudonyms.
    this.#projectKey = Buffer.from(projectKey);
  }

  pseudonymise(domain: string, normalisedIdentifier: string): string {
    assertDomain(domain);
    return hmacHex(this.#projectKey, domain, normalisedIdentifier);
  }

  /**
   * Normalises, checks the modulus-11 digit and pseudonymises; null for an invalid NHS number, which the caller
   * counts and never links on.
   */
  pseudonymiseNhsNumber(rawNhsNumber: string | null | undefined): string | null {
    const normalised = normaliseNhsNumber(rawNhsNumber);
    return normalised === null ? null : hmacHex(this.#projectKey, NHS_NUMBER_DOMAIN, normalised);
  }
}
