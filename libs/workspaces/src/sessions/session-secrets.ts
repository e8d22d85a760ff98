import { createHash, randomBytes } from 'node:crypto';

/** Tickets and session tokens carry a prefix, so a leaked one is recognisable (secret scanners, logs). */
export const TICKET_PREFIX = 'trgt_';
export const SESSION_TOKEN_PREFIX = 'trgs_';

/** A fresh secret: 256 random bits, base64url, after its prefix. */
export function newSessionSecret(prefix: typeof TICKET_PREFIX | typeof SESSION_TOKEN_PREFIX): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The only form in which a ticket or session token is stored or compared. */
export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether a string could be such a secret at all (cheap refusal before any database look-up). */
export function isSessionSecretShaped(prefix: string, secret: string): boolean {
  return secret.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(secret.slice(prefix.length));
}
