import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { answerUnparseableRequests } from './common/client-errors';
import { assignRequestId, refuseUnsafeInput } from './common/edge-guards';
import { Drain } from './shutdown/drain';

/** Everything main.ts does to the app besides listening, shared with the end-to-end tests. */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const server = app as NestExpressApplication;
  // Order matters: the request id before anything that can answer (helmet, the parsers, the docs), the body
  // parsers before the guard that reads what they parsed. Registering the parsers here replaces Nest's own.
  server.use(assignRequestId);
  server.use(app.get(Drain).closeConnections);
  answerUnparseableRequests(server.getHttpServer());
  app.useLogger(app.get(Logger));
  server.use(helmet());
  server.useBodyParser('json', { limit: config.apiBodyLimitBytes });
  server.useBodyParser('urlencoded', { limit: config.apiBodyLimitBytes, extended: true });
  server.use(refuseUnsafeInput);
  // Signals are main.ts's (see drainThenClose): Nest's own hooks would close the server at once.
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRE orchestration service')
      .setDescription('Projects, data access review, extracts, sealed workspaces, output checking, audit')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
