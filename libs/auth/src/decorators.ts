import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ROLES, type Role } from './roles';
import type { AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC = 'tre:isPublic';
export const REQUIRED_ROLES = 'tre:roles';

/** Opens a route to anonymous callers. Every use is listed in the route inventory test. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The roles that may call a route (any one of them suffices). A route with neither @Public nor @Roles is
 * refused to everybody: access is granted on purpose, never by omission.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

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
