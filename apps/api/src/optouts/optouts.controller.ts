import { Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { OptOutService } from '@tre/datasets';
import { OptOutListDto } from './optouts.dto';
import { readCsvBody } from './text-body';

/**
 * The national data opt-out and GP type 1 lists. Custodians and admins load and inspect them; nobody reads
 * the numbers back over HTTP.
 */
@ApiTags('optouts')
@ApiBearerAuth()
@Controller('optouts')
export class OptOutsController {
  constructor(private readonly optOuts: OptOutService) {}

  @Roles('data_custodian', 'admin')
  @Get()
  @ApiOkResponse({ type: [OptOutListDto] })
  list(): Promise<OptOutListDto[]> {
    return this.optOuts.summaries();
  }

  @Roles('data_custodian', 'admin')
  @Put(':list')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'CSV, header line nhs_number, one NHS number a line (at most 50 MB). Replaces the list whole; a file ' +
      'with any bad line is refused whole (400 naming the first 20 lines at fault) and the list in force stays.',
    schema: { type: 'string', example: 'nhs_number\n9434765919\n' },
  })
  @ApiOkResponse({ type: OptOutListDto, description: 'The new version in force' })
  async load(
    @CurrentUser() user: AuthenticatedUser,
    @Param('list') list: string,
    @Req() request: FastifyRequest,
  ): Promise<OptOutListDto> {
    return this.optOuts.load(user, list, await readCsvBody(request.raw));
  }
}
