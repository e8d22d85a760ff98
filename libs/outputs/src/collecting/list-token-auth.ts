import { createParamDecorator, Injectable, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest as Request } from 'fastify';
import { AuthScheme, type AuthSchemeHandler } from '@tre/auth';
import { requestContext } from '@tre/core';
import type { CollectGrantEntity } from './collect-grant.entity';
import { COLLECTOR_ACTOR, CollectGrantsService } from './collect-grants.service';

export const LIST_TOKEN_SCHEME = 'list-token';

/** The listing intake's routes: a one-time collect token (never a person's) scoped to the `:listingId`. */
export const ListTokenAuth = (): MethodDecorator & ClassDecorator => AuthScheme(LIST_TOKEN_SCHEME);

interface RequestWithListGrant extends Request {
  listGrant?: CollectGrantEntity;
}

@Injectable()
export class ListTokenAuthenticator implements AuthSchemeHandler {
  constructor(private readonly grants: CollectGrantsService) {}

  async authenticate(request: RequestWithListGrant, bearer: string): Promise<void> {
    const listingId = (request.params as Record<string, unknown>).listingId;
    request.listGrant = await this.grants.authenticateListing(
      bearer,
      typeof listingId === 'string' ? listingId : '',
    );
    requestContext.setActor(COLLECTOR_ACTOR);
  }
}

/** The grant the request's listing token holds (only on @ListTokenAuth routes). */
export const CurrentListGrant = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CollectGrantEntity => {
    const grant = ctx.switchToHttp().getRequest<RequestWithListGrant>().listGrant;
    if (!grant) throw new Error('CurrentListGrant used on a route without @ListTokenAuth');
    return grant;
  },
);
