import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { DomainError, PerRoute, requestContext } from '@tre/core';
import { authSchemeToken, type AuthSchemeHandler } from './auth-scheme';
import { AUTH_SCHEME, IS_PUBLIC, REQUIRED_ROLES, type RequestWithUser } from './decorators';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { UsersService } from './users.service';
import type { Role } from './roles';

/** A route's access rules, as its decorators and its controller's say. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly scheme: string | undefined;
  readonly allowed: readonly Role[] | undefined;
}

/**
 * The one global guard: authenticates every request that is not @Public, then authorises it against the
 * route's @Roles. Missing or bad token -> 401; a route without @Roles, or a caller without one of them -> 403.
 * A route marked @AuthScheme is authenticated by that scheme's handler alone (401 unless it accepts).
 * A route's rules are metadata fixed when the app starts: read once per route, not on every request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly users: UsersService,
    private readonly moduleRef: ModuleRef,
  ) {}

  private readonly routes = new PerRoute<RouteAccess>((handler, classRef) => {
    const targets = [handler, classRef];
    return {
      isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)),
      scheme: this.reflector.getAllAndOverride<string | undefined>(AUTH_SCHEME, targets),
      allowed: this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
    };
  });

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, scheme, allowed } = this.routes.of(context);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<RequestWithUser>();
    const token = bearerToken(request.headers.authorization);
    if (scheme) {
      // Throws when no module provides the scheme: such a route is refused, never left open.
      const handler = this.moduleRef.get<AuthSchemeHandler>(authSchemeToken(scheme), { strict: false });
      await handler.authenticate(request, token);
      return true;
    }
    let claims;
    try {
      claims = await this.verifier.verify(token);
    } catch (error: unknown) {
      if (error instanceof InvalidTokenError)
        throw new DomainError('unauthenticated', `Invalid bearer token: ${error.message}`);
      throw error;
    }
    const user = await this.users.upsertFromClaims(claims);
    request.user = user;
    requestContext.setActor(user.id);

    if (!allowed || allowed.length === 0) {
      throw new DomainError('forbidden', 'This route grants access to no role');
    }
    if (!user.roles.some((role) => allowed.includes(role))) {
      throw new DomainError('forbidden', `This requires one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) {
    throw new DomainError(
      'unauthenticated',
      header ? 'Authorization header must be "Bearer <token>"' : 'A bearer token is required',
    );
  }
  return match[1];
}
