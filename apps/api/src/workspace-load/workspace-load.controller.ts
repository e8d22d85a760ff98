import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import {
  CurrentLoadGrant,
  ExtractDeliveryService,
  LOAD_ROUTES,
  LoadTokenAuth,
  type LoadGrantEntity,
} from '@tre/workspaces';

export class LoadManifestFileDto {
  @ApiProperty() dataset!: string;
  @ApiProperty() file!: string;
  @ApiProperty() rows!: number;
  @ApiProperty({ description: 'hex SHA-256 of the file as built' }) sha256!: string;
  @ApiProperty() bytes!: number;
}

export class LoadManifestDto {
  @ApiProperty() workspaceId!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() extractId!: string;
  @ApiProperty({ type: [LoadManifestFileDto] }) files!: LoadManifestFileDto[];
  @ApiProperty({ type: Object, additionalProperties: true, description: "the extract's own manifest" })
  manifest!: Record<string, unknown>;
}

export class LoadCompletionDto {
  @ApiProperty() @IsInt() @Min(0) @Max(1_000_000) filesVerified!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) bytes!: number;
}

export class LoadReportDto {
  @ApiProperty() filesVerified!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty() completedAt!: Date;
}

/**
 * What the loader Job in a workspace calls, with its one-time load token instead of a person's: the extract
 * its grant names, file by file, and the completion report that spends the token.
 */
@ApiTags('workspace-load')
@ApiBearerAuth()
@LoadTokenAuth()
@Controller(LOAD_ROUTES.controller)
export class WorkspaceLoadController {
  constructor(private readonly delivery: ExtractDeliveryService) {}

  @Get(LOAD_ROUTES.manifest)
  @ApiOkResponse({ type: LoadManifestDto })
  manifest(@CurrentLoadGrant() grant: LoadGrantEntity): Promise<LoadManifestDto> {
    return this.delivery.manifest(grant);
  }

  @Get(LOAD_ROUTES.file)
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the file, as stored' })
  async file(
    @CurrentLoadGrant() grant: LoadGrantEntity,
    @Param('file') file: string,
  ): Promise<StreamableFile> {
    const delivered = await this.delivery.open(grant, file);
    return new StreamableFile(delivered.stream, { type: 'application/octet-stream', length: delivered.size });
  }

  @Post(LOAD_ROUTES.completion)
  @HttpCode(200)
  @ApiOkResponse({ type: LoadReportDto })
  complete(
    @CurrentLoadGrant() grant: LoadGrantEntity,
    @Body() report: LoadCompletionDto,
  ): Promise<LoadReportDto> {
    return this.delivery.complete(grant, report);
  }
}
