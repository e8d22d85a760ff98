import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { ProjectLifecycle, ReviewService } from '@tre/projects';
import { ReasonDto, VoteDto } from './project-input.dto';
import { VoteResultDto, VotesDto } from './project-output.dto';
import { PageQueryDto } from '../common/page-query.dto';

/** The data access committee: conflicts, blind votes; and governing approved projects. */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects/:id')
export class ProjectReviewController {
  constructor(
    private readonly reviews: ReviewService,
    private readonly lifecycle: ProjectLifecycle,
  ) {}

  @Roles('dac_member')
  @Post('conflicts')
  @HttpCode(204)
  @ApiNoContentResponse()
  declareConflict(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<void> {
    return this.reviews.declareConflict(user, id, body.reason);
  }

  @Roles('dac_member')
  @Post('votes')
  @HttpCode(200)
  @ApiOkResponse({ type: VoteResultDto })
  vote(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: VoteDto,
  ): Promise<VoteResultDto> {
    const fields = body.fields && Object.fromEntries(body.fields.map((f) => [f.datasetCode, f.fields]));
    return this.reviews.vote(user, id, { ...body, fields });
  }

  @Roles('researcher', 'dac_member', 'admin')
  @Get('votes')
  @ApiOkResponse({ type: VotesDto })
  votes(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() paging: PageQueryDto,
  ): Promise<VotesDto> {
    return this.reviews.votes(user, id, paging);
  }

  @Roles('admin', 'dac_member')
  @Post('suspend')
  @HttpCode(204)
  @ApiNoContentResponse()
  suspend(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<void> {
    return this.lifecycle.govern(user, id, 'suspend', body.reason);
  }

  @Roles('admin', 'dac_member')
  @Post('resume')
  @HttpCode(204)
  @ApiNoContentResponse()
  resume(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<void> {
    return this.lifecycle.govern(user, id, 'resume', body.reason);
  }

  @Roles('admin', 'dac_member')
  @Post('revoke')
  @HttpCode(204)
  @ApiNoContentResponse()
  revoke(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<void> {
    return this.lifecycle.govern(user, id, 'revoke', body.reason);
  }

  @Roles('researcher', 'admin')
  @Post('close')
  @HttpCode(204)
  @ApiNoContentResponse()
  close(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<void> {
    return this.lifecycle.close(user, id, body.reason);
  }
}
