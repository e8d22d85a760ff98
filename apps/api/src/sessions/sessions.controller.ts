import { Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { WorkspaceSessionsService } from '@tre/workspaces';
import { SessionDto, SessionListQuery, SessionTicketDto } from './sessions.dto';

/**
 * Sessions on workspace tools through the access gateway: a project member with a current accreditation opens
 * one (a one-time ticket); admins see them all and terminate any.
 */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller()
export class SessionsController {
  constructor(private readonly sessions: WorkspaceSessionsService) {}

  @Roles('researcher')
  @Post('workspaces/:id/sessions')
  @ApiCreatedResponse({ type: SessionTicketDto })
  open(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SessionTicketDto> {
    return this.sessions.open(user, id);
  }

  @Roles('admin')
  @Get('sessions')
  @ApiOkResponse({ type: [SessionDto] })
  list(@Query() query: SessionListQuery): Promise<SessionDto[]> {
    return this.sessions.list({ live: query.live });
  }

  @Roles('admin')
  @Delete('sessions/:id')
  @ApiOkResponse({
    type: SessionDto,
    description: 'Ended (terminated); every gateway closes its connections',
  })
  terminate(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SessionDto> {
    return this.sessions.terminate(user, id);
  }
}
