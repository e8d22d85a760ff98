import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@tre/audit';
import { CoreConfigModule, DatabaseModule } from '@tre/core';
import { ExtractQueryModule } from '@tre/datasets';

/** What CLI commands that touch the database need, without HTTP or queues. */
@Module({ imports: [CoreConfigModule, DatabaseModule, AuditModule, ExtractQueryModule] })
class CliModule {}

/** Runs work inside a short-lived Nest context and always closes its connections afterwards. */
export async function withCliContext<T>(work: (context: INestApplicationContext) => Promise<T>): Promise<T> {
  const context = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}
