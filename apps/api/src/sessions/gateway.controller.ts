import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { GatewayAuth, GatewaySessionsService } from '@tre/workspaces';
import {
  ActivityDto,
  AuthoriseDto,
  CloseSessionDto,
  GatewayDecisionDto,
  RecheckDto,
  RedeemDto,
  RefusalDto,
} from './sessions.dto';

/**
 * What the access gateway asks and reports, with its shared secret instead of a person's token: the API owns
 * every decision, the gateway enforces it. Refusals are answers (200 with a reason), not errors.
 */
@ApiTags('gateway')
@ApiBearerAuth()
@GatewayAuth()
@Controller('gateway')
export class GatewayController {
  constructor(private readonly sessions: GatewaySessionsService) {}

  @Post('redeem')
  @HttpCode(200)
  @ApiOkResponse({ type: GatewayDecisionDto })
  redeem(@Body() body: RedeemDto): Promise<GatewayDecisionDto> {
    return this.sessions.redeem(body.ticket, body.workspaceId);
  }

  @Post('authorise')
  @HttpCode(200)
  @ApiOkResponse({ type: GatewayDecisionDto })
  authorise(@Body() body: AuthoriseDto): Promise<GatewayDecisionDto> {
    return this.sessions.authorise(body.token, body.workspaceId, body.path);
  }

  @Post('recheck')
  @HttpCode(200)
  @ApiOkResponse({ description: 'One decision per session id' })
  async recheck(@Body() body: RecheckDto): Promise<{ results: object[] }> {
    return { results: await this.sessions.recheck(body.sessionIds) };
  }

  @Post('activity')
  @HttpCode(204)
  @ApiNoContentResponse()
  async activity(@Body() body: ActivityDto): Promise<void> {
    await this.sessions.activity(
      body.reports.map((report) => ({ ...report, lastActivityAt: new Date(report.lastActivityAt) })),
    );
  }

  @Post('sessions/:id/close')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Whether this call ended the session' })
  async close(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CloseSessionDto,
  ): Promise<{ ended: boolean }> {
    return { ended: await this.sessions.close(id, body.reason) };
  }

  @Post('refusals')
  @HttpCode(204)
  @ApiNoContentResponse()
  async refusal(@Body() body: RefusalDto): Promise<void> {
    await this.sessions.refusal(body);
  }
}
