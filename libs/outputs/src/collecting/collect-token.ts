import { createHash, randomBytes } from 'node:crypto';

/** Collect tokens carry this prefix, so a leaked one is recognisable for what it is. */
export const COLLECT_TOKEN_PREFIX = 'trec_';
const TOKEN_SHAPE = /^trec_[A-Za-z0-9_-]{43}$/;

/** A fresh token: 256 random bits, base64url. */
export function newCollectToken(): string {
  return `${COLLECT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The only form in which a token is stored or compared. */
export function hashCollectToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isCollectTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}
