import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { ApplicationService, ProjectReader } from '@tre/projects';
import { TimelinePageDto } from '../audit/audit.dto';
import { PageQueryDto } from '../common/page-query.dto';
import { CreateProjectDto, UpdateProjectDto } from './project-input.dto';
import { CreatedDto, ProjectDto, ProjectPageDto, ProjectVersionDto } from './project-output.dto';
import { ProjectListQueryDto } from './project-query.dto';
import { PositiveIntPipe } from '../common/validators';
import { CachedRead } from '../read-cache/cached-read.decorator';

/** Applications: researchers draft, edit and submit; everyone entitled reads. */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly applications: ApplicationService,
    private readonly reader: ProjectReader,
  ) {}

  @Roles('researcher')
  @Post()
  @ApiCreatedResponse({ type: CreatedDto })
  async create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateProjectDto): Promise<CreatedDto> {
    return { id: await this.applications.create(user, body) };
  }

  @Roles('researcher', 'dac_member', 'admin')
  @Get()
  @CachedRead(['projects', 'project_members', 'dac_conflicts', 'dac_votes'])
  @ApiOkResponse({ type: ProjectPageDto })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ProjectListQueryDto): Promise<ProjectPageDto> {
    return this.reader.list(user, query);
  }

  @Roles('researcher', 'dac_member', 'admin')
  @Get(':id')
  @CachedRead([
    'projects',
    'project_members',
    'project_dataset_requests',
    'project_approvals',
    'accreditations',
  ])
  @ApiOkResponse({ type: ProjectDto })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<ProjectDto> {
    return this.reader.detail(user, id);
  }

  @Roles('researcher')
  @Patch(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateProjectDto,
  ): Promise<void> {
    return this.applications.update(user, id, body);
  }

  @Roles('researcher')
  @Post(':id/submit')
  @HttpCode(204)
  @ApiNoContentResponse()
  submit(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.applications.submit(user, id);
  }

  @Roles('researcher')
  @Post(':id/withdraw')
  @HttpCode(204)
  @ApiNoContentResponse()
  withdraw(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.applications.withdraw(user, id);
  }

  @Roles('researcher', 'dac_member', 'admin')
  @Get(':id/timeline')
  @CachedRead(['audit_events', 'projects', 'project_members', 'output_requests', 'output_reviews'])
  @ApiOkResponse({ type: TimelinePageDto })
  timeline(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() paging: PageQueryDto,
  ): Promise<TimelinePageDto> {
    return this.reader.timeline(user, id, paging);
  }

  @Roles('researcher', 'dac_member', 'admin')
  @Get(':id/versions/:version')
  @ApiOkResponse({ type: ProjectVersionDto })
  version(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', PositiveIntPipe) version: number,
  ): Promise<ProjectVersionDto> {
    return this.reader.version(user, id, version);
  }
}
