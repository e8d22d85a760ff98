import { createParamDecorator, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { AuthScheme, type AuthSchemeHandler } from '@tre/auth';
import { requestContext } from '@tre/core';
import type { CollectGrantEntity } from './collect-grant.entity';
import { COLLECTOR_ACTOR, CollectGrantsService } from './collect-grants.service';

export const COLLECT_TOKEN_SCHEME = 'collect-token';

/** The intake's routes: authenticated by a one-time collect token (never a person's) for the `:requestId`. */
export const CollectTokenAuth = (): MethodDecorator & ClassDecorator => AuthScheme(COLLECT_TOKEN_SCHEME);

interface RequestWithGrant extends Request {
  collectGrant?: CollectGrantEntity;
}

@Injectable()
export class CollectTokenAuthenticator implements AuthSchemeHandler {
  constructor(private readonly grants: CollectGrantsService) {}

  async authenticate(request: RequestWithGrant, bearer: string): Promise<void> {
    const requestId = (request.params as Record<string, unknown>).requestId;
    request.collectGrant = await this.grants.authenticate(
      bearer,
      typeof requestId === 'string' ? requestId : '',
    );
    requestContext.setActor(COLLECTOR_ACTOR);
  }
}

/** The grant the request's collect token holds (only on @CollectTokenAuth routes). */
export const CurrentCollectGrant = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CollectGrantEntity => {
    const grant = ctx.switchToHttp().getRequest<RequestWithGrant>().collectGrant;
    if (!grant) throw new Error('CurrentCollectGrant used on a route without @CollectTokenAuth');
    return grant;
  },
);
