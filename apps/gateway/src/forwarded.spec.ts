import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { XHeaders } from 'http-proxy-3/dist/lib/http-proxy/passes/web-incoming';
import { addForwardedHeaders } from './forwarded';

/** A request as far as either pass reads it: headers, and a plain (not TLS) socket with a peer address. */
function request(headers: IncomingHttpHeaders, remoteAddress: string | undefined): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  return { headers: { ...headers }, socket, connection: socket } as unknown as IncomingMessage;
}

describe('X-Forwarded-* headers', () => {
  it('are set exactly as http-proxy-3 sets them with xfwd', () => {
    const cases: [IncomingHttpHeaders, string | undefined][] = [
      [{ host: '127.0.0.1:3002' }, '127.0.0.1'],
      [{ host: 'gateway.example.org' }, '10.0.0.7'],
      [{ host: '[::1]:3002' }, '::1'],
      [{ host: '[2001:db8::8]' }, '::ffff:10.0.0.7'],
      [{ host: 'a:b:12x' }, '10.0.0.7'],
      [{ host: 'host:' }, '10.0.0.7'],
      [{}, '10.0.0.7'],
      [{ host: '' }, undefined],
      [
        {
          host: 'gateway:443',
          'x-forwarded-for': '203.0.113.9',
          'x-forwarded-port': '443',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'tre.example.org',
        },
        '10.0.0.7',
      ],
      [{ host: 'gateway:8080', 'x-forwarded-for': '', 'x-forwarded-host': '' }, '10.0.0.7'],
    ];
    for (const [headers, address] of cases) {
      const theirs = request(headers, address);
      XHeaders(theirs, undefined as never, { xfwd: true });
      const ours = request(headers, address);
      addForwardedHeaders(ours);
      expect(ours.headers).toEqual(theirs.headers);
    }
  });
});
