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

const TOKEN_LIKE = [/trel_[A-Za-z0-9_-]*/g, /\b(bearer)\s+\S+/gi, /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g];

/**
 * A failure reason fit to leave the loader's pod (its termination message, a step's error): one line, at most
 * `max` characters, with anything that looks like a token replaced. The loader's errors never include its
 * token; this is for the day one does.
 */
export function loadFailureReason(text: string, max = 300): string {
  let line = text.replace(/\s+/g, ' ').trim();
  for (const pattern of TOKEN_LIKE)
    line = line.replace(pattern, (_match, scheme?: unknown) =>
      typeof scheme === 'string' ? `${scheme} [redacted]` : '[redacted]',
    );
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
