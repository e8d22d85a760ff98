import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthScheme, type AuthSchemeHandler } from '@tre/auth';
import { APP_CONFIG, DomainError, requestContext, type AppConfig } from '@tre/core';
import { GATEWAY_ACTOR } from './session-records';

export const GATEWAY_SCHEME = 'gateway';

/**
 * The routes the access gateway calls (redeem a ticket, authorise a request, report activity): authenticated by
 * the shared GATEWAY_API_SECRET, never by a person's token. With no secret configured they refuse everything.
 */
export const GatewayAuth = (): MethodDecorator & ClassDecorator => AuthScheme(GATEWAY_SCHEME);

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

@Injectable()
export class GatewayAuthenticator implements AuthSchemeHandler {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  authenticate(_request: unknown, bearer: string): Promise<void> {
    const secret = this.config.gatewayApiSecret;
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    if (!secret || !timingSafeEqual(digest(secret), digest(bearer))) {
      return Promise.reject(new DomainError('unauthenticated', 'Not a gateway credential'));
    }
    requestContext.setActor(GATEWAY_ACTOR);
    return Promise.resolve();
  }
}
