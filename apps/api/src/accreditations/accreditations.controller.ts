import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { AccreditationRegister } from '@tre/projects';
import { WorkspaceSessionsService } from '@tre/workspaces';
import { PageQueryDto } from '../common/page-query.dto';
import {
  AccreditationLapseDto,
  AccreditationLapsedDto,
  AccreditationRecordDto,
  AccreditationRenewDto,
  AccreditationSetDto,
  PeoplePageDto,
} from './accreditations.dto';

/**
 * People and the admin-kept accreditation register. Where the register has a record of a person it decides
 * over the expiry they declared on each project; a lapse also ends their open sessions on workspace tools.
 */
@ApiTags('people')
@ApiBearerAuth()
@Roles('admin')
@Controller('people')
export class AccreditationsController {
  constructor(
    private readonly register: AccreditationRegister,
    private readonly sessions: WorkspaceSessionsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: PeoplePageDto })
  list(@Query() paging: PageQueryDto): Promise<PeoplePageDto> {
    return this.register.people(paging);
  }

  @Post(':subject/accreditation')
  @HttpCode(200)
  @ApiOkResponse({ type: AccreditationRecordDto, description: 'On the register, current' })
  set(
    @CurrentUser() user: AuthenticatedUser,
    @Param('subject') subject: string,
    @Body() body: AccreditationSetDto,
  ): Promise<AccreditationRecordDto> {
    return this.register.set(user, subject, body.expiresOn, body.reference);
  }

  @Post(':subject/accreditation/renew')
  @HttpCode(200)
  @ApiOkResponse({ type: AccreditationRecordDto, description: 'Renewed to the new expiry' })
  renew(
    @CurrentUser() user: AuthenticatedUser,
    @Param('subject') subject: string,
    @Body() body: AccreditationRenewDto,
  ): Promise<AccreditationRecordDto> {
    return this.register.renew(user, subject, body.expiresOn, body.reference);
  }

  @Post(':subject/accreditation/lapse')
  @HttpCode(200)
  @ApiOkResponse({ type: AccreditationLapsedDto, description: 'Lapsed; their open sessions ended' })
  async lapse(
    @CurrentUser() user: AuthenticatedUser,
    @Param('subject') subject: string,
    @Body() body: AccreditationLapseDto,
  ): Promise<AccreditationLapsedDto> {
    const record = await this.register.lapse(user, subject, body.reason);
    // After the lapse has committed: every session found then is refused from now on by the decision anyway;
    // ending them announces it to the gateways at once rather than at their next sweep.
    const sessionsEnded = await this.sessions.endAllOf(subject, user.id);
    return { ...record, sessionsEnded };
  }
}
