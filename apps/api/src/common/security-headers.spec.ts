import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { securityHeaders } from './security-headers';

/** The headers a middleware leaves on a response, in the order set. */
function headersSetBy(middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void) {
  const set: [string, unknown][] = [];
  const res = {
    setHeader: (name: string, value: unknown) => void set.push([name, value]),
    removeHeader: (name: string) => void set.push([name, undefined]),
  };
  middleware({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return set;
}

describe('securityHeaders', () => {
  const options: HelmetOptions = {
    contentSecurityPolicy: {
      directives: { connectSrc: ["'self'", 'https://id.example'], upgradeInsecureRequests: null },
    },
  };

  it("sets helmet's own headers, the same on every request", () => {
    const recorded = securityHeaders(options);
    expect(headersSetBy(recorded)).toEqual(headersSetBy(helmet(options)));
    expect(headersSetBy(recorded)).toEqual(headersSetBy(recorded));
  });

  it('refuses a directive computed per request instead of freezing its first answer', () => {
    let nonces = 0;
    const perRequest: HelmetOptions = {
      contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => `'nonce-${(nonces += 1)}'`] } },
    };
    expect(() => securityHeaders(perRequest)).toThrow('computed per request');
  });
});
