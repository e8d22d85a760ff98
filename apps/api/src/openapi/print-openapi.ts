import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { openApiDocument } from './openapi-document';

/**
 * Prints the API's OpenAPI document as JSON, without a database or Redis: in preview mode Nest reads the
 * controllers' metadata and instantiates no provider, so nothing connects. `scripts/web-api.cjs` turns the
 * document into the web app's typed client (apps/web/src/api/schema.d.ts).
 */
async function main(): Promise<void> {
  // The API's own server, never listening: the document is read from the routes as the API registers them.
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  process.stdout.write(`${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
