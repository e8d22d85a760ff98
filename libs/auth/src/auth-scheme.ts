import type { FastifyRequest as Request } from 'fastify';

/**
 * Authenticates the requests of one @AuthScheme: accepts the bearer for this request (and may attach what it
 * proved to the request) or throws an 'unauthenticated' DomainError. Provided under authSchemeToken(scheme).
 */
export interface AuthSchemeHandler {
  authenticate(request: Request, bearer: string): Promise<void>;
}

/** The injection token under which a module provides the handler of a scheme. */
export const authSchemeToken = (scheme: string): string => `tre:auth-scheme:${scheme}`;
