import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { ConflictError, JobQueue } from '@tre/core';
import { ExtractQueryService } from '@tre/datasets';
import { ProjectReader } from '@tre/projects';
import { PageQueryDto } from '../common/page-query.dto';

export class ExtractStepDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['pending', 'running', 'done', 'failed'] }) state!: string;
  @ApiProperty({ required: false }) startedAt?: string;
  @ApiProperty({ required: false }) finishedAt?: string;
  @ApiProperty({ required: false, type: Object, additionalProperties: true }) detail?: Record<
    string,
    unknown
  >;
}

export class ExtractDto {
  @ApiProperty() id!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() approvalId!: string;
  @ApiProperty({ enum: ['pending', 'running', 'ready', 'failed'] }) status!: string;
  @ApiProperty() keyVersion!: number;
  @ApiProperty({ type: [ExtractStepDto] }) steps!: ExtractStepDto[];
  @ApiProperty({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty({ nullable: true, type: Object, additionalProperties: true }) manifest!: Record<
    string,
    unknown
  > | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ExtractPageDto {
  @ApiProperty({ type: [ExtractDto] }) items!: ExtractDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class QueuedDto {
  @ApiProperty() approvalId!: string;
  @ApiProperty() jobId!: string;
}

/** A project's extracts: status, per-step progress, gate report and manifest (counts and checksums only). */
@ApiTags('extracts')
@ApiBearerAuth()
@Controller('projects/:id/extracts')
export class ExtractsController {
  constructor(
    private readonly projects: ProjectReader,
    private readonly extracts: ExtractQueryService,
    private readonly jobs: JobQueue,
  ) {}

  @Roles('researcher', 'dac_member', 'admin')
  @Get()
  @ApiOkResponse({ type: ExtractPageDto })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() paging: PageQueryDto,
  ): Promise<ExtractPageDto> {
    await this.projects.detail(user, id);
    return this.extracts.forProject(id, paging);
  }

  /** Builds (or rebuilds, after a failure) the extract of the project's current approval. */
  @Roles('admin')
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: QueuedDto })
  async build(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<QueuedDto> {
    const project = await this.projects.detail(user, id);
    if (!project.approval || !['approved', 'suspended'].includes(project.status)) {
      throw new ConflictError(
        `Project ${id} is ${project.status} and has no approval in force: there is no extract to build`,
      );
    }
    const jobId = await this.jobs.requeue('extracts.build', { approvalId: project.approval.id });
    return { approvalId: project.approval.id, jobId };
  }
}
