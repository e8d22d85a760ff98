import { SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from './dev-keys';
import type { Role } from './roles';

export interface DevTokenRequest {
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Carried as the `email` claim, as an identity provider would. */
  readonly email?: string;
  /** Lifetime such as `8h`, `30m`, `7d`. */
  readonly expiresIn?: string;
}

/** Mints a development token signed with the local key (what `tre token` prints). */
export async function mintDevToken(keyFile: string, request: DevTokenRequest): Promise<string> {
  const keys = await loadDevKeys(keyFile);
  return new SignJWT({
    name: request.name,
    roles: [...request.roles],
    ...(request.email ? { email: request.email } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(keys.privateKey);
}
