import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Put,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import {
  CollectTokenAuth,
  CurrentCollectGrant,
  MAX_RECORD_BYTES,
  OutputIntakeService,
  type CollectGrantEntity,
  type CollectItemResult,
  type CollectPlan,
} from '@tre/outputs';

export class CollectFailureDto {
  @ApiProperty({ description: 'why the collector could not take this file (one line)' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

/** Reads the raw request body, refusing more than `limit` bytes (413) and anything but octet-stream (415). */
async function rawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/octet-stream\b/i.test(type))
    throw new UnsupportedMediaTypeException('send the bytes as application/octet-stream');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeException(`more than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new PayloadTooLargeException(`more than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const header = (request: FastifyRequest, name: string): string => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : '';
};

/**
 * The airlock's intake, called only by a request's collector with its one-time collect token (never a person's
 * token: no route takes output bytes from one). Each file and record arrives as raw bytes with the SHA-256
 * the collector computed where it read them (`X-Content-SHA256`).
 */
@ApiTags('output-intake')
@ApiBearerAuth()
@CollectTokenAuth()
@Controller('output-intake/:requestId')
export class OutputIntakeController {
  constructor(private readonly intake: OutputIntakeService) {}

  @Get('plan')
  @ApiOkResponse({ description: 'the paths to collect, and the limits' })
  plan(
    @Param('requestId', ParseUUIDPipe) _requestId: string,
    @CurrentCollectGrant() grant: CollectGrantEntity,
  ): CollectPlan {
    return this.intake.plan(grant);
  }

  @Put('items/:index/record')
  @HttpCode(204)
  @ApiConsumes('application/octet-stream')
  async record(
    @Param('index', ParseIntPipe) index: number,
    @CurrentCollectGrant() grant: CollectGrantEntity,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const content = await rawBody(request.raw, MAX_RECORD_BYTES);
    await this.intake.record(grant, index, { content, sha256: header(request, 'x-content-sha256') });
  }

  @Put('items/:index/file')
  @ApiConsumes('application/octet-stream')
  @ApiOkResponse({ description: 'the stored file: its id and SHA-256' })
  async file(
    @Param('index', ParseIntPipe) index: number,
    @CurrentCollectGrant() grant: CollectGrantEntity,
    @Req() request: FastifyRequest,
  ): Promise<CollectItemResult> {
    const content = await rawBody(request.raw, this.intake.maxFileBytes);
    const modifiedAt = header(request, 'x-modified-at');
    return this.intake.file(grant, index, {
      content,
      sha256: header(request, 'x-content-sha256'),
      modifiedAt: Number.isNaN(Date.parse(modifiedAt)) ? undefined : new Date(modifiedAt).toISOString(),
    });
  }

  @Post('items/:index/failure')
  @HttpCode(204)
  async failure(
    @Param('index', ParseIntPipe) index: number,
    @CurrentCollectGrant() grant: CollectGrantEntity,
    @Body() body: CollectFailureDto,
  ): Promise<void> {
    await this.intake.failure(grant, index, body.reason);
  }

  @Post('completion')
  @HttpCode(200)
  @ApiOkResponse({ description: "every item's result; the token is spent" })
  complete(@CurrentCollectGrant() grant: CollectGrantEntity): Promise<CollectItemResult[]> {
    return this.intake.complete(grant);
  }
}
