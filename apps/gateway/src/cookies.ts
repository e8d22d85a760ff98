import type { IncomingHttpHeaders } from 'node:http';

/** The gateway's session cookie: HttpOnly, SameSite=Strict, scoped to the one workspace's path. */
export const SESSION_COOKIE = 'tre_session';

export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The Cookie header without ours: the tool never sees the session token. */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.slice(0, part.indexOf('=')).trim() !== name);
  return kept.length ? kept.join('; ') : undefined;
}

/** A Cookie header read once: the session token in it, and the header as the tool may see it (ours taken out). */
export interface SplitCookie {
  header: string | undefined;
  token: string | undefined;
  forwarded: string | undefined;
}

/**
 * readCookie and withoutCookie together, so the gateway can keep both by the header (a browser sends the same
 * Cookie header on every request of a session): parsing it on every request was a split, a map, a filter and a
 * join each time.
 */
export function splitCookie(header: string | undefined, name: string): SplitCookie {
  return { header, token: readCookie({ cookie: header }, name), forwarded: withoutCookie(header, name) };
}

export function sessionCookie(token: string, path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function clearedCookie(path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=${path}; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** Secure everywhere but on a loopback address, where browsers are served plain HTTP in development. */
export function cookieIsSecure(publicUrl: string): boolean {
  const host = new URL(publicUrl).hostname;
  return !['localhost', '127.0.0.1', '[::1]'].includes(host);
}
