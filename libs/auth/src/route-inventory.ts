import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { AUTH_SCHEME, IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import type { Role } from './roles';

export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly isPublic: boolean;
  readonly roles: readonly Role[];
  /** The @AuthScheme that authenticates the route instead of a person's token, if any. */
  readonly scheme?: string;
}

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every route the app's controllers declare, with its access rules as the guard will read them.
 * Needs DiscoveryModule in the app (the API imports it). Used by the test that proves no route is open
 * by accident.
 */
export function routeInventory(app: INestApplication): RouteInfo[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const controllerPaths = [reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype) ?? '/'].flat();
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
      const methodPaths = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      if (methodPaths === undefined) continue;
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler)];
      const targets = [handler, wrapper.metatype];
      const isPublic = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false;
      const roles = reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets) ?? [];
      const scheme = reflector.getAllAndOverride<string | undefined>(AUTH_SCHEME, targets);
      for (const base of controllerPaths) {
        for (const sub of [methodPaths].flat())
          routes.push({ method, path: joinPath(base, sub), isPublic, roles, scheme });
      }
    }
  }
  return routes;
}
