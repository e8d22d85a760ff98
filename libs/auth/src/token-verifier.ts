import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type FlattenedJWSInput,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { APP_CONFIG, DomainError, type AppConfig } from '@tre/core';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from './dev-keys';
import { isRole } from './roles';
import type { VerifiedClaims } from './authenticated-user';
import { VerifiedTokenCache } from './verified-token-cache';

export class InvalidTokenError extends Error {}

/** Far above any real token (a few KB with many roles); a longer one is refused before any work on it. */
export const MAX_TOKEN_LENGTH = 8192;
const MAX_CLAIM_LENGTH = 500;
// Control characters (NUL above all: Postgres cannot store it) have no place in a subject or a name.
const hasControl = (text: string): boolean =>
  [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);

/** `sub` and `name` become a user row: they must be short, printable strings, or the token is refused. */
function stringClaim(payload: JWTPayload, claim: 'sub' | 'name', required: boolean): string | undefined {
  const value = payload[claim];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidTokenError(`token claim "${claim}" must be a non-empty string`);
  }
  if (value.length > MAX_CLAIM_LENGTH) {
    throw new InvalidTokenError(`token claim "${claim}" is longer than ${MAX_CLAIM_LENGTH} characters`);
  }
  if (hasControl(value)) throw new InvalidTokenError(`token claim "${claim}" holds control characters`);
  return value;
}

/** Plain enough to send to and short enough to store; anything else is ignored, not refused (email is optional). */
const EMAIL_SHAPE = /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[^\s@<>(),;:"\\]+$/;

function emailClaim(payload: JWTPayload): string | undefined {
  const value = payload.email;
  if (typeof value !== 'string') return undefined;
  const email = value.trim();
  return email.length <= 254 && !hasControl(email) && EMAIL_SHAPE.test(email) ? email : undefined;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, part) =>
        value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined,
      payload,
    );
}

type SigningKey = KeyLike | Uint8Array;

/** A token verified once: its claims, and the key of the key set that verified its signature. */
interface VerifiedToken {
  readonly claims: VerifiedClaims;
  readonly header: JWTHeaderParameters;
  readonly key: SigningKey;
}

/** What the JWKS's key lookup is given besides the header: it reads only a JSON-serialised token's own header. */
const NO_TOKEN: FlattenedJWSInput = { payload: '', signature: '' };

/**
 * Verifies bearer tokens: OIDC tokens against the provider's JWKS (issuer, audience and algorithm pinned),
 * or, in development, tokens signed by the local key. Unknown roles in a token are ignored, not trusted.
 */
@Injectable()
export class TokenVerifier {
  private key?: Promise<KeyLike | Uint8Array | JWTVerifyGetKey>;
  private readonly verified = new VerifiedTokenCache<VerifiedToken>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private signingKey(): Promise<KeyLike | Uint8Array | JWTVerifyGetKey> {
    this.key ??=
      this.config.authMode === 'oidc'
        ? Promise.resolve(createRemoteJWKSet(new URL(this.config.oidcJwksUrl), { cacheMaxAge: 10 * 60_000 }))
        : loadDevKeys(this.config.devKeyFile).then((keys) => keys.publicKey);
    return this.key;
  }

  async verify(token: string): Promise<VerifiedClaims> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenError(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
    }
    const cacheKey = VerifiedTokenCache.keyOf(token);
    const cached = this.verified.get(cacheKey);
    if (cached && (await this.stillSignedWith(cached))) return cached.claims;
    if (cached) this.verified.delete(cacheKey);
    const { claims, kept, expiresAt } = await this.verifySignedToken(token);
    if (kept) this.verified.set(cacheKey, kept, expiresAt);
    return claims;
  }

  /**
   * Whether the key set as it is now still gives the token's header the key that verified it: an entry never
   * outlives its key. The remote key set is asked as verification asks it (refetched once older than its
   * cacheMaxAge, a new object for every key once refetched), so a key withdrawn at the identity provider, or a
   * key set that could not be fetched again, sends the token back to full verification.
   */
  private async stillSignedWith(cached: VerifiedToken): Promise<boolean> {
    const key = await this.signingKey();
    if (typeof key !== 'function') return key === cached.key;
    try {
      return (await key(cached.header, NO_TOKEN)) === cached.key;
    } catch (error: unknown) {
      // The provider not answering is answered as verification would answer it, without asking twice.
      if (error instanceof errors.JWKSTimeout) throw unavailable();
      return false;
    }
  }

  private async verifySignedToken(
    token: string,
  ): Promise<{ claims: VerifiedClaims; kept?: VerifiedToken; expiresAt: number }> {
    const oidc = this.config.authMode === 'oidc';
    const options = {
      issuer: oidc ? this.config.oidcIssuer : DEV_ISSUER,
      audience: oidc ? this.config.oidcAudience : DEV_AUDIENCE,
      algorithms: oidc ? [...this.config.oidcAlgorithms] : ['ES256'],
      clockTolerance: 30,
      // A token without an expiry would be good for ever, and one issued long ago was issued to someone
      // who may have lost their roles since: both claims are required, and the age is bounded whatever
      // `exp` says.
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: this.config.authMaxTokenAgeSeconds,
    };
    const key = await this.signingKey();
    let payload: JWTPayload;
    let header: JWTHeaderParameters | undefined;
    let signedWith: SigningKey | undefined;
    try {
      if (typeof key === 'function') {
        // The key the set gave this token's header, kept to tell later whether the set still gives it.
        const keyOfSet = async (protectedHeader: JWTHeaderParameters, input: FlattenedJWSInput) => {
          header = protectedHeader;
          return (signedWith = (await key(protectedHeader, input)) as SigningKey);
        };
        ({ payload } = await jwtVerify(token, keyOfSet, options));
      } else {
        let protectedHeader: JWTHeaderParameters;
        ({ payload, protectedHeader } = await jwtVerify(token, key, options));
        [header, signedWith] = [protectedHeader, key];
      }
    } catch (error: unknown) {
      if (error instanceof errors.JWKSTimeout) throw unavailable();
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(describe(error));
      throw error;
    }
    const subject = stringClaim(payload, 'sub', true)!;
    const name = stringClaim(payload, 'name', false) ?? subject;
    const rolesClaim = claimAt(payload, oidc ? this.config.oidcRolesClaim : 'roles');
    const roles = Array.isArray(rolesClaim) ? rolesClaim.filter(isRole) : [];
    // Both are present: jwtVerify required them.
    const expiresAt = Math.min(payload.exp!, payload.iat! + this.config.authMaxTokenAgeSeconds) * 1000;
    const email = emailClaim(payload);
    const claims: VerifiedClaims = {
      issuer: String(payload.iss),
      subject,
      name,
      roles: [...new Set(roles)],
      ...(email ? { email } : {}),
    };
    // Without the key that verified it (several keys of the set matched its header) the token is not kept.
    return {
      claims,
      kept: signedWith && header ? { claims, header, key: signedWith } : undefined,
      expiresAt,
    };
  }
}

const unavailable = (): DomainError =>
  new DomainError('unavailable', 'The identity provider did not answer; try again shortly');

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? 'token was issued too long ago' : 'token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') {
    return `token has no "${error.claim}" claim`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token was signed by an unknown key';
  return 'token is malformed or not accepted';
}
