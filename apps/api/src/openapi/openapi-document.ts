import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The API's OpenAPI document: served at /docs-json, and the source of the web app's typed client. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TRE orchestration service')
      .setDescription('Projects, data access review, extracts, sealed workspaces, output checking, audit')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
}
