import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * helmet's headers, worked out once at start-up instead of by its chain of fourteen middlewares on every
 * request. Given only fixed strings (no directive computed per request, such as a nonce), helmet sets the same
 * headers on every response: they are recorded here by running it once against a stand-in response, and set
 * again as recorded. Start-up fails if helmet's answer would depend on the request (it asked for anything but
 * setting and removing headers) or if it refused the options.
 */
export function securityHeaders(options: HelmetOptions): Middleware {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let outcome: { error?: unknown } | undefined;
  const request = new Proxy(
    {},
    {
      get: () => {
        throw new Error('helmet read the request: its headers cannot be worked out once');
      },
    },
  );
  helmet(options)(request as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    outcome = { error };
  });
  if (!outcome) throw new Error('helmet did not finish at once: its headers cannot be worked out once');
  if (outcome.error) throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
