import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { APP_CONFIG, loggerOf, requestContext, requestIdOf, requestLog, type AppConfig } from '@tre/core';
import { assignRequestId, unsafeInput } from './common/edge-guards';
import { acceptBodies, onEveryRequest } from './common/http-adapter';
import { securityHeaders } from './common/security-headers';
import { timeRequests } from './metrics/http-metrics.hook';
import { ApiMetrics } from './metrics/metrics.service';
import { Drain } from './shutdown/drain';
import { openApiDocument } from './openapi/openapi-document';
import { registerWebAppFiles } from './web-app/web-app-files';

/**
 * The content security policy is helmet's (scripts, styles, images and fetches from this origin only) plus,
 * under OIDC, the identity provider: the web app fetches its discovery document and tokens from it and renews
 * sign-in silently in a hidden frame of it. Outside production the service runs on plain http (loopback, the
 * demo, the tests), where `upgrade-insecure-requests` would turn the provider's redirect back into the frame
 * into an https address nobody serves; in production it stays.
 */
function contentSecurityPolicy(config: AppConfig): Record<string, string[] | null> {
  const directives: Record<string, string[] | null> =
    config.nodeEnv === 'production' ? {} : { upgradeInsecureRequests: null };
  if (config.authMode !== 'oidc' || !config.oidcIssuer) return directives;
  const provider = new URL(config.oidcIssuer).origin;
  return { ...directives, connectSrc: ["'self'", provider], frameSrc: ["'self'", provider] };
}

/** Everything main.ts does to the app besides listening, shared with the end-to-end tests. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const server = app.getHttpAdapter().getInstance();
  // As each request arrives, before routing and the body: the request id first, so that every response (a
  // parser's 400/413/415, the documentation pages, a 404) carries it; then the request log, the drain and the
  // security headers. No ETag is made (every API answer is `no-store`; the web app's files keep theirs) and no
  // X-Powered-By.
  onEveryRequest(
    server,
    assignRequestId,
    requestLog(loggerOf(app.get<Params>(PARAMS_PROVIDER_TOKEN))),
    app.get(Drain).closeConnections,
    securityHeaders({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } }),
  );
  acceptBodies(server);
  // Once the body is parsed and before the route's guards: the one check of strings and nesting.
  server.addHook('preValidation', (request, _reply, done) => done(unsafeInput(request)));
  // The request's context (its id now, the actor once authenticated) for everything the route runs.
  server.addHook('preHandler', (request, reply, done) =>
    requestContext.run({ requestId: requestIdOf(request.raw, reply.raw) }, done),
  );
  timeRequests(server, app.get(ApiMetrics));
  app.useLogger(app.get(Logger));
  registerWebAppFiles(app, config);
  // Signals are main.ts's (see drainThenClose): Nest's own hooks would close the server at once.
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The API as main.ts runs it and the tests start it: on Fastify, with the body parsers of `acceptBodies`. */
export const API_APP_OPTIONS = { bodyParser: false } as const;
