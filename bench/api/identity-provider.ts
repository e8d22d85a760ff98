import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';

/**
 * A stand-in OIDC identity provider: an ES256 key, its JWKS served on the loopback, and tokens signed with it.
 * Production refuses the development tokens (NODE_ENV=production), so the benchmark's API verifies these as it
 * would a real provider's, fetching the JWKS once and caching it.
 */
export class IdentityProvider {
  private constructor(
    private readonly server: Server,
    private readonly privateKey: KeyLike,
    private readonly jwksUrl: string,
  ) {}

  static readonly audience = 'tre-bench-api';
  /** Fixed, so the users a seeded database holds are the ones the tokens name on every run. */
  static readonly issuer = 'https://identity.bench.invalid';

  static async start(): Promise<IdentityProvider> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    return new IdentityProvider(server, privateKey, jwksUrl);
  }

  /** What the API needs to trust this provider. */
  env(): Record<string, string> {
    return {
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: IdentityProvider.issuer,
      OIDC_AUDIENCE: IdentityProvider.audience,
      OIDC_JWKS_URL: this.jwksUrl,
      OIDC_ALGORITHMS: 'ES256',
    };
  }

  token(subject: string, roles: string[]): Promise<string> {
    return new SignJWT({ roles, name: subject })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
      .setSubject(subject)
      .setIssuer(IdentityProvider.issuer)
      .setAudience(IdentityProvider.audience)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(this.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
