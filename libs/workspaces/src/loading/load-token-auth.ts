import { createParamDecorator, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { AuthScheme, type AuthSchemeHandler } from '@tre/auth';
import { requestContext } from '@tre/core';
import type { LoadGrantEntity } from './load-grant.entity';
import { LOADER_ACTOR, LoadGrantsService } from './load-grants.service';

export const LOAD_TOKEN_SCHEME = 'load-token';

/**
 * The loader's routes: authenticated by a one-time load token (never a person's token), which must name the
 * `:workspaceId` and `:extractId` of the path.
 */
export const LoadTokenAuth = (): MethodDecorator & ClassDecorator => AuthScheme(LOAD_TOKEN_SCHEME);

interface RequestWithGrant extends Request {
  loadGrant?: LoadGrantEntity;
}

@Injectable()
export class LoadTokenAuthenticator implements AuthSchemeHandler {
  constructor(private readonly grants: LoadGrantsService) {}

  async authenticate(request: RequestWithGrant, bearer: string): Promise<void> {
    const param = (name: string): string => {
      const value = (request.params as Record<string, unknown>)[name];
      return typeof value === 'string' ? value : '';
    };
    request.loadGrant = await this.grants.authenticate(bearer, {
      workspaceId: param('workspaceId'),
      extractId: param('extractId'),
    });
    requestContext.setActor(LOADER_ACTOR);
  }
}

/** The grant the request's load token holds (only on @LoadTokenAuth routes). */
export const CurrentLoadGrant = createParamDecorator((_: unknown, ctx: ExecutionContext): LoadGrantEntity => {
  const grant = ctx.switchToHttp().getRequest<RequestWithGrant>().loadGrant;
  if (!grant) throw new Error('CurrentLoadGrant used on a route without @LoadTokenAuth');
  return grant;
});
