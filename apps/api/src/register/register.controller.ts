import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
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

/**
 * The public data uses register and the transparency statement: what health data is used for, by whom, on
 * what basis, what each opt-out removed (rounded), what left, and when the data was deleted. No token needed.
 * The fixed paths come before `:id`, which would otherwise take them.
 */
@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(
    private readonly register: PublicRegisterService,
    private readonly statements: StatementService,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: RegisterPageDto })
  list(@Query() query: RegisterPageQueryDto): Promise<RegisterPageDto> {
    const { page, pageSize, ...filter } = query;
    return this.register.page(page, pageSize, filter);
  }

  @Public()
  @Get('csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="data-uses-register.csv"')
  @ApiProduces('text/csv')
  async csv(@Query() filter: RegisterFilterDto): Promise<string> {
    return registerCsv(await this.register.all(filter));
  }

  @Public()
  @Get('json')
  @Header('Content-Disposition', 'attachment; filename="data-uses-register.json"')
  @ApiOkResponse({ type: [RegisterEntryDto] })
  json(@Query() filter: RegisterFilterDto): Promise<RegisterEntryDto[]> {
    return this.register.all(filter);
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
    // Set once the period is valid: a refusal stays JSON that says why.
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="transparency-statement.csv"`);
    return csv;
  }

  /** One project's public page; 404 unless it is on the register (an application is not public). */
  @Public()
  @Get(':id')
  @ApiOkResponse({ type: RegisterEntryDto })
  entry(@Param('id', ParseUUIDPipe) id: string): Promise<RegisterEntryDto> {
    return this.register.entry(id);
  }
}
