import { readCookie, SESSION_COOKIE, splitCookie, withoutCookie } from './cookies';

describe('session cookie', () => {
  it('reads the token and takes it out of what the tool sees, wherever it stands in the header', () => {
    for (const [header, token, forwarded] of [
      ['tre_session=abc', 'abc', undefined],
      ['tre_session=abc; _xsrf=1', 'abc', '_xsrf=1'],
      ['_xsrf=1;tre_session=abc ;theme=dark', 'abc', '_xsrf=1; theme=dark'],
      [' tre_session = abc ; a=b', 'abc', 'a=b'],
      ['_xsrf=1', undefined, '_xsrf=1'],
      ['x_tre_session=abc; tre_sessionx=def', undefined, 'x_tre_session=abc; tre_sessionx=def'],
      ['', undefined, undefined],
      [undefined, undefined, undefined],
    ] as const) {
      expect(splitCookie(header, SESSION_COOKIE)).toEqual({ header, token, forwarded });
      // The pair is what the two single-purpose readers answer.
      expect([readCookie({ cookie: header }, SESSION_COOKIE), withoutCookie(header, SESSION_COOKIE)]).toEqual(
        [token, forwarded],
      );
    }
  });
});
