import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@tre/auth';
import { PROJECT_STATUSES, RegisterService, registerCsv, type ProjectStatus } from '@tre/projects';
import { RegisterFilterDto, RegisterPageQueryDto } from './register-query.dto';

export class RegisterEntryDatasetDto {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() legalBasis!: string;
}

export class RegisterEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() laySummary!: string;
  @ApiProperty() organisation!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: ProjectStatus;
  @ApiProperty({ type: [RegisterEntryDatasetDto] }) datasets!: RegisterEntryDatasetDto[];
  @ApiProperty({ nullable: true, type: String }) approvedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty() outputsReleased!: number;
}

export class RegisterPageDto {
  @ApiProperty({ type: [RegisterEntryDto] }) items!: RegisterEntryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

/** The public data uses register: what health data is used for, by whom, on what basis. No token needed. */
@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(private readonly register: RegisterService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: RegisterPageDto })
  list(@Query() query: RegisterPageQueryDto): Promise<RegisterPageDto> {
    const { page, pageSize, ...filter } = query;
    return this.register.page(page, pageSize, filter);
  }

  // The download headers are set in the handler, once the query has passed validation: a refused query
  // answers with the API's usual JSON error, not an "attachment" labelled as CSV.
  @Public()
  @Get('csv')
  @ApiProduces('text/csv')
  async csv(
    @Query() filter: RegisterFilterDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const body = registerCsv(await this.register.all(filter));
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="data-uses-register.csv"');
    return body;
  }

  @Public()
  @Get('json')
  @ApiOkResponse({ type: [RegisterEntryDto] })
  async json(
    @Query() filter: RegisterFilterDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegisterEntryDto[]> {
    const entries = await this.register.all(filter);
    response.setHeader('Content-Disposition', 'attachment; filename="data-uses-register.json"');
    return entries;
  }

  /** One project's public page; 404 unless it is on the register (an application is not public). */
  @Public()
  @Get(':id')
  @ApiOkResponse({ type: RegisterEntryDto })
  entry(@Param('id', ParseUUIDPipe) id: string): Promise<RegisterEntryDto> {
    return this.register.entry(id);
  }
}
