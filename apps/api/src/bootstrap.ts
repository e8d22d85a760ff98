import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger, PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { APP_CONFIG, loggerOf, requestLog, type AppConfig } from '@tre/core';
import { answerUnparseableRequests } from './common/client-errors';
import { assignRequestId, refuseUnsafeInput } from './common/edge-guards';
import { securityHeaders } from './common/security-headers';
import { Drain } from './shutdown/drain';
import { openApiDocument } from './openapi/openapi-document';
import { serveWebAppFiles } from './web-app/web-app-files';

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
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const server = app as NestExpressApplication;
  // Order matters: the request id before anything that can answer (helmet, the parsers, the docs), the body
  // parsers before the guard that reads what they parsed. Registering the parsers here replaces Nest's own.
  server.use(assignRequestId);
  server.use(requestLog(loggerOf(app.get<Params>(PARAMS_PROVIDER_TOKEN))));
  // Every API answer is `Cache-Control: no-store` (assignRequestId), so nothing ever revalidates it: Express's
  // default ETag only hashed every body (SHA-1) for nobody. The web app's files keep theirs (express.static and
  // sendFile make their own). helmet removes X-Powered-By; Express need not set it first.
  server.set('etag', false);
  server.disable('x-powered-by');
  server.use(app.get(Drain).closeConnections);
  answerUnparseableRequests(server.getHttpServer());
  app.useLogger(app.get(Logger));
  server.use(securityHeaders({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } }));
  serveWebAppFiles(server, config);
  server.useBodyParser('json', { limit: config.apiBodyLimitBytes });
  server.useBodyParser('urlencoded', { limit: config.apiBodyLimitBytes, extended: true });
  server.use(refuseUnsafeInput);
  // Signals are main.ts's (see drainThenClose): Nest's own hooks would close the server at once.
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}
