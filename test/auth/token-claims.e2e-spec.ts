import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from '@tre/auth';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Forged and odd tokens: each is refused with 401 and a reason, never accepted and never a 500. A token
 * must carry `exp` and `iat`, be younger than AUTH_MAX_TOKEN_AGE_SECONDS, and hold a printable string
 * subject (and name, when it has one).
 */
const MAX_AGE_SECONDS = 3600;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('token claims', () => {
  let t: TestApp;
  let sign: (claims: JWTPayload, options?: { keyFile?: string }) => Promise<string>;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_MAX_TOKEN_AGE_SECONDS: String(MAX_AGE_SECONDS) });
    sign = async (claims, options = {}) => {
      const keys = await loadDevKeys(options.keyFile ?? t.env.devKeyFile);
      const payload: JWTPayload = {
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        sub: 'tess',
        name: 'Tess',
        roles: ['researcher'],
        iat: now(),
        exp: now() + 600,
        ...claims,
      };
      // Claims set to undefined are left out of the token altogether.
      for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
      return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: keys.kid }).sign(keys.privateKey);
    };
  });
  afterAll(() => t.close());

  const me = (token: string) =>
    request(t.app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);

  it('accepts a well-formed token (the control for every refusal below)', async () => {
    const response = await me(await sign({}));
    expect(response.status).toBe(200);
    expect(response.body.subject).toBe('tess');
  });

  it('refuses each forged or odd token with 401, a reason and a request id', async () => {
    const valid = await sign({});
    const [header, payload] = valid.split('.');
    const foreignKey = join(mkdtempSync(join(tmpdir(), 'tre-test-foreign-')), 'key.json');
    const cases: [string, string, RegExp][] = [
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`, /not accepted|malformed/],
      ['signed by another key', await sign({}, { keyFile: foreignKey }), /signature/],
      [
        'signature of another token',
        `${header}.${b64({ sub: 'admin' })}.${valid.split('.')[2]}`,
        /signature/,
      ],
      ['no exp', await sign({ exp: undefined }), /"exp"/],
      ['no exp, iat ten years old', await sign({ exp: undefined, iat: now() - 10 * 365 * 86_400 }), /"exp"/],
      ['iat ten years old', await sign({ iat: now() - 10 * 365 * 86_400, exp: now() + 600 }), /too long ago/],
      ['older than the bound', await sign({ iat: now() - MAX_AGE_SECONDS - 120 }), /too long ago/],
      ['no iat', await sign({ iat: undefined }), /"iat"/],
      ['iat in the future', await sign({ iat: now() + 3600 }), /"iat"/],
      ['iat a string', await sign({ iat: 'yesterday' as unknown as number }), /"iat"/],
      ['expired', await sign({ exp: now() - 120 }), /expired/],
      ['sub a number', await sign({ sub: 42 as unknown as string }), /"sub"/],
      ['sub an object', await sign({ sub: { id: 'x' } as unknown as string }), /"sub"/],
      ['no sub', await sign({ sub: undefined }), /"sub"/],
      ['empty sub', await sign({ sub: '' }), /"sub"/],
      ['NUL in sub', await sign({ sub: 'te\u0000ss' }), /"sub" holds control/],
      ['sub too long', await sign({ sub: 's'.repeat(600) }), /"sub" is longer/],
      ['name a number', await sign({ name: 7 }), /"name"/],
      ['name a list', await sign({ name: ['a'] as unknown }), /"name"/],
      ['NUL in name', await sign({ name: 'Te\u0000ss' }), /"name" holds control/],
      ['payload a list', `${header}.${b64([1, 2])}.${valid.split('.')[2]}`, /signature|malformed/],
      ['huge token', await sign({ padding: 'p'.repeat(9000) }), /longer than 8192/],
      ['three dots', '...', /malformed|not accepted/],
      ['not base64', 'a!.b!.c!', /malformed|not accepted/],
    ];
    const outcomes = [];
    for (const [what, token, reason] of cases) {
      const response = await me(token);
      const message = String(response.body.message);
      outcomes.push({
        what,
        status: response.status,
        code: response.body.code as unknown,
        reasoned: reason.test(message) ? 'yes' : message,
        requestId: typeof response.headers['x-request-id'] === 'string',
      });
    }
    expect(outcomes).toEqual(
      cases.map(([what]) => ({
        what,
        status: 401,
        code: 'unauthenticated',
        reasoned: 'yes',
        requestId: true,
      })),
    );
  });

  it('answers a token too large for any header with 431 and a request id, not a bare socket error', async () => {
    const response = await me(await sign({ padding: 'p'.repeat(40_000) }));
    expect(response.status).toBe(431);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(response.body.code).toBe('validation_failed');
  });

  it("keeps a well-formed email claim as the person's address, ignores an odd one, and keeps the last on a token without", async () => {
    const settings = async (token: string) => {
      const response = await request(t.app.getHttpServer())
        .get('/me/notification-settings')
        .set('Authorization', `Bearer ${token}`);
      expect(response.status).toBe(200);
      return response.body.emailAddress as string | null;
    };
    expect(await settings(await sign({ sub: 'ed', email: 'ed@example.test' }))).toBe('ed@example.test');
    expect(await settings(await sign({ sub: 'ed', email: 'ed@example.test', name: 'Ed' }))).toBe(
      'ed@example.test',
    );
    // An odd claim is not a reason to refuse the token (email is optional) and changes nothing.
    for (const odd of [
      'not an address',
      'a@b',
      'x\u0000@example.test',
      `${'x'.repeat(250)}@example.test`,
      42,
    ])
      expect(await settings(await sign({ sub: 'ed', email: odd, name: `Ed ${String(odd).length}` }))).toBe(
        'ed@example.test',
      );
    expect(await settings(await sign({ sub: 'ed', email: undefined, name: 'Ed again' }))).toBe(
      'ed@example.test',
    );
    expect(await settings(await sign({ sub: 'ed', email: 'ed@new.example.test' }))).toBe(
      'ed@new.example.test',
    );
    expect(await settings(await sign({ sub: 'nomail', email: 'not an address' }))).toBeNull();
  });
});
