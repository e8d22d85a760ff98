import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { FastifyReply as Response } from 'fastify';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@tre/auth';
import {
  PublicRegisterService,
  registerCsv,
  statementCsv,
  statementPeriod,
  StatementService,
} from '@tre/trust';
import { RegisterFilterDto, RegisterPageQueryDto } from './register-query.dto';
import { RegisterEntryDto, RegisterPageDto, StatementQueryDto } from './register.dto';
import { TransparencyStatementDto } from './statement.dto';
import { CachedRead } from '../read-cache/cached-read.decorator';

/**
 * The public data uses register and the transparency statement: what health data is used for, by whom, on
 * what basis, what each opt-out removed (rounded), what left, and when the data was deleted. No token needed.
 * The fixed paths come before `:id`, which would otherwise take them. The downloads set their headers in the
 * handler, once the query has passed validation: a refused query answers with the API's usual JSON error, not an
 * "attachment" labelled as CSV.
 */
function attachment(res: Response, filename: string, contentType?: string): void {
  if (contentType) res.header('Content-Type', contentType);
  res.header('Content-Disposition', `attachment; filename="${filename}"`);
}

/** What a register page and a project's public page read: a change to any of them is a change on the register. */
const REGISTER_TABLES = [
  'projects',
  'project_approvals',
  'datasets',
  'extracts',
  'output_requests',
  'output_files',
  'output_releases',
];

@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(
    private readonly register: PublicRegisterService,
    private readonly statements: StatementService,
  ) {}

  @Public()
  @Get()
  @CachedRead(REGISTER_TABLES)
  @ApiOkResponse({ type: RegisterPageDto })
  list(@Query() query: RegisterPageQueryDto): Promise<RegisterPageDto> {
    const { page, pageSize, ...filter } = query;
    return this.register.page(page, pageSize, filter);
  }

  @Public()
  @Get('csv')
  @ApiProduces('text/csv')
  async csv(@Query() filter: RegisterFilterDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const csv = registerCsv(await this.register.all(filter));
    attachment(res, 'data-uses-register.csv', 'text/csv; charset=utf-8');
    return csv;
  }

  @Public()
  @Get('json')
  @ApiOkResponse({ type: [RegisterEntryDto] })
  async json(
    @Query() filter: RegisterFilterDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RegisterEntryDto[]> {
    const entries = await this.register.all(filter);
    attachment(res, 'data-uses-register.json');
    return entries;
  }

  @Public()
  @Get('statement')
  @ApiOkResponse({ type: TransparencyStatementDto })
  statement(@Query() query: StatementQueryDto): Promise<TransparencyStatementDto> {
    return this.statements.statement(statementPeriod(query.from, query.to));
  }

  @Public()
  @Get('statement/csv')
  @ApiProduces('text/csv')
  async statementCsv(
    @Query() query: StatementQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = statementCsv(await this.statements.statement(statementPeriod(query.from, query.to)));
    attachment(res, 'transparency-statement.csv', 'text/csv; charset=utf-8');
    return csv;
  }

  /** One project's public page; 404 unless it is on the register (an application is not public). */
  @Public()
  @Get(':id')
  @CachedRead(REGISTER_TABLES)
  @ApiOkResponse({ type: RegisterEntryDto })
  entry(@Param('id', ParseUUIDPipe) id: string): Promise<RegisterEntryDto> {
    return this.register.entry(id);
  }
}
