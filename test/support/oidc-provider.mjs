// A real OpenID provider for the browser tier: `oidc-provider` (OpenID Certified), run as a process of its own
// (it is an ES module; jest runs CommonJS). Its development interactions accept any login name; each person's
// roles come from PEOPLE below and travel in the access token's `roles` claim, with `name`, for the API to read.
//
// Environment: WEB_ORIGIN (the app's origin, for the redirect URIs), AUDIENCE (the API's OIDC_AUDIENCE),
// ACCESS_TOKEN_SECONDS (short, so a test sees a silent renewal). Prints `issuer=<url>` once listening.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const PEOPLE = {
  olive: { name: 'Olive', roles: ['researcher', 'dac_member'] },
  rami: { name: 'Rami', roles: ['researcher'] },
};

const webOrigin = process.env.WEB_ORIGIN;
const audience = process.env.AUDIENCE ?? 'tre-api';
// The resource indicator (RFC 8707) must be an absolute URI; the tokens' `aud` is the API's audience.
const resource = 'urn:tre:api';
const accessTokenSeconds = Number(process.env.ACCESS_TOKEN_SECONDS ?? 300);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rsa', alg: 'RS256', use: 'sig' };

let handler = (_req, res) => res.writeHead(503).end();
const server = createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'tre-web',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${webOrigin}/app/signed-in`, `${webOrigin}/app/silent-renew`],
        post_logout_redirect_uris: [`${webOrigin}/app/`],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // The API accepts only JWT access tokens for its own audience: the resource is implied for every request.
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'openid profile',
          audience,
          accessTokenTTL: accessTokenSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, name: PEOPLE[sub]?.name ?? sub }),
    }),
    extraTokenClaims: (_ctx, token) => {
      const person = PEOPLE[token.accountId];
      return person ? { name: person.name, roles: person.roles } : { name: token.accountId, roles: [] };
    },
    ttl: { AccessToken: accessTokenSeconds, IdToken: accessTokenSeconds, Session: 3600, Grant: 3600 },
  });
  // Plain http on loopback: the provider must not insist on TLS here.
  provider.proxy = true;
  handler = provider.callback();
  process.stdout.write(`issuer=${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
