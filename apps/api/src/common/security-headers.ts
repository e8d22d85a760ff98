import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * helmet's headers, worked out once at start-up instead of by its chain of fourteen middlewares on every
 * request. Given only fixed strings (no directive computed per request, such as a nonce), helmet sets the same
 * headers on every response: they are recorded here by running it once against a stand-in response, and set
 * again as recorded. Start-up fails if helmet's answer would depend on the request (it asked for anything but
 * setting and removing headers, or a directive is a function) or if it refused the options.
 */
export function securityHeaders(options: HelmetOptions): Middleware {
  // A directive given as a function (a nonce, say) is helmet's way of answering per request: never recorded.
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((value) => [value].flat().some((part) => typeof part === 'function'))) {
    throw new Error(
      'a content security policy directive is computed per request: its headers cannot be worked out once',
    );
  }
  // In helmet's order: a header set (with its value) or removed (undefined).
  const steps: [string, string | undefined][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => void steps.push([name, value]),
    removeHeader: (name: string) => void steps.push([name, undefined]),
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
  if (outcome.error instanceof Error) throw outcome.error;
  if (outcome.error !== undefined) throw new Error('helmet refused its options');
  return (_req, res, next) => {
    for (const [name, value] of steps) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}
