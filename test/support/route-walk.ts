import type { INestApplication } from '@nestjs/common';
import { routeInventory, type Role, type RouteInfo } from '@tre/auth';

/** `GET /projects/:id`, as the route tests name a route. */
export const routeKey = (route: Pick<RouteInfo, 'method' | 'path'>): string =>
  `${route.method} ${route.path}`;

/** Every route the API registers, from the controllers' own metadata (`routeInventory`). */
export const allRoutes = (app: INestApplication): RouteInfo[] => routeInventory(app);

/**
 * The GET routes a person holding `roles` can reach with their token: the public ones and those granting one
 * of the roles. Routes of another scheme (the loader's one-time token) never admit a person's token.
 */
export function getRoutesReachableBy(routes: readonly RouteInfo[], roles: readonly Role[]): RouteInfo[] {
  return routes.filter(
    (route) =>
      route.method === 'GET' &&
      !route.scheme &&
      (route.isPublic || route.roles.some((role) => roles.includes(role))),
  );
}

/**
 * The route's path with each `:param` taken from `values`. A parameter without a value throws, naming it, so
 * a route added later cannot be walked with a made-up id or skipped in silence.
 */
export function fillPath(route: Pick<RouteInfo, 'method' | 'path'>, values: Record<string, string>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${routeKey(route)}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
