import type { IncomingMessage } from 'node:http';

/**
 * The X-Forwarded-For, -Port, -Proto and -Host headers of an HTTP request to the tool, exactly as http-proxy-3's
 * `xfwd` option sets them (its XHeaders pass: each of the first three appended after a comma to what the request
 * already carries, Host kept when the request carries one), without that pass's work on every request: an object
 * of the values, each header's name built by concatenation three times over (and then looked up as a new
 * string), and a regular expression to find the port. The gateway listens on plain HTTP (never TLS), so the
 * protocol is "http", as XHeaders finds it. WebSocket upgrades keep http-proxy-3's own pass (`xfwd` on theirs).
 */
export function addForwardedHeaders(req: IncomingMessage): void {
  // Node joins a header sent twice into one string (only Set-Cookie is kept as a list).
  const headers = req.headers as Record<string, string | undefined>;
  const host = headers.host;
  const address = `${req.socket.remoteAddress}`;
  const port = portOf(host);
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor},${address}` : address;
  const forwardedPort = headers['x-forwarded-port'];
  headers['x-forwarded-port'] = forwardedPort ? `${forwardedPort},${port}` : port;
  const forwardedProto = headers['x-forwarded-proto'];
  headers['x-forwarded-proto'] = forwardedProto ? `${forwardedProto},http` : 'http';
  headers['x-forwarded-host'] = headers['x-forwarded-host'] || host || '';
}

/** What http-proxy-3 takes for the port: the first run of digits after a colon in Host (`/:(\d+)/`), else 80. */
function portOf(host: string | undefined): string {
  if (!host) return '80';
  for (let colon = host.indexOf(':'); colon !== -1; colon = host.indexOf(':', colon + 1)) {
    let end = colon + 1;
    while (end < host.length && isDigit(host.charCodeAt(end))) end += 1;
    if (end > colon + 1) return host.slice(colon + 1, end);
  }
  return '80';
}

const isDigit = (code: number) => code >= 48 && code <= 57;
