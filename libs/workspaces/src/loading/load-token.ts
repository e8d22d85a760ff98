import { createHash, randomBytes } from 'node:crypto';

/** Load tokens carry this prefix, so a leaked one is recognisable (secret scanners, logs) for what it is. */
export const LOAD_TOKEN_PREFIX = 'trel_';
const TOKEN_SHAPE = /^trel_[A-Za-z0-9_-]{43}$/;

/** A fresh token: 256 random bits, base64url. */
export function newLoadToken(): string {
  return `${LOAD_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The only form in which a token is stored or compared. */
export function hashLoadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a string could be a load token at all (cheap refusal before any database look-up). */
export function isLoadTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
