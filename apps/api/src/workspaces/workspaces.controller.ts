import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { WorkspaceService } from '@tre/workspaces';
import { PageQueryDto } from '../common/page-query.dto';
import { WorkspaceDto, WorkspacePageDto } from './workspaces.dto';
import { CachedRead } from '../read-cache/cached-read.decorator';

/**
 * Workspaces: members with a current accreditation see their projects' workspaces, step by step; the lead or
 * an admin suspends and resumes; an admin tears one down. Provisioning itself follows the project's events.
 */
@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspaceService) {}

  @Roles('researcher', 'admin')
  @Get()
  @CachedRead(['workspaces', 'project_members', 'accreditations'])
  @ApiOkResponse({ type: WorkspacePageDto })
  list(@CurrentUser() user: AuthenticatedUser, @Query() paging: PageQueryDto): Promise<WorkspacePageDto> {
    return this.workspaces.list(user, paging);
  }

  @Roles('researcher', 'admin')
  @Get(':id')
  @CachedRead(['workspaces', 'project_members', 'accreditations'])
  @ApiOkResponse({ type: WorkspaceDto })
  detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceDto> {
    return this.workspaces.detail(user, id);
  }

  @Roles('researcher', 'admin')
  @Post(':id/suspend')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkspaceDto, description: 'Suspended; the tool is being scaled to zero' })
  suspend(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceDto> {
    return this.workspaces.suspendAs(user, id);
  }

  @Roles('researcher', 'admin')
  @Post(':id/resume')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkspaceDto, description: 'Ready again; the tool is being scaled up' })
  resume(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceDto> {
    return this.workspaces.resumeAs(user, id);
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: WorkspaceDto, description: 'Being torn down' })
  remove(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceDto> {
    return this.workspaces.deleteAs(user, id);
  }
}
