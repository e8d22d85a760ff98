import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { ROLES, type Role } from './roles';
import type { AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC = 'tre:isPublic';
export const REQUIRED_ROLES = 'tre:roles';
export const AUTH_SCHEME = 'tre:authScheme';

/** Opens a route to anonymous callers. Every use is listed in the route inventory test. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The roles that may call a route (any one of them suffices). A route with neither @Public nor @Roles is
 * refused to everybody: access is granted on purpose, never by omission.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/**
 * A route that authenticates with a credential of its own instead of a person's token (the loader's one-time
 * token, say). The global guard hands the bearer to the scheme's handler (see authSchemeToken) and admits
 * nothing else there: a person's token does not open it, and a missing handler refuses every request.
 */
export const AuthScheme = (scheme: string): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_SCHEME, scheme);

/** For routes any signed-in person may use, such as their own profile. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles(...ROLES);

export interface RequestWithUser extends Request {
  user?: AuthenticatedUser;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});
