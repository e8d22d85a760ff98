import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@tre/auth';
import { PROJECT_STATUSES, RegisterService, registerCsv, type ProjectStatus } from '@tre/projects';
import { PageQueryDto } from '../common/page-query.dto';

export class RegisterDatasetDto {
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
  @ApiProperty({ type: [RegisterDatasetDto] }) datasets!: RegisterDatasetDto[];
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
  list(@Query() query: PageQueryDto): Promise<RegisterPageDto> {
    return this.register.page(query.page, query.pageSize);
  }

  @Public()
  @Get('csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="data-uses-register.csv"')
  @ApiProduces('text/csv')
  async csv(): Promise<string> {
    return registerCsv(await this.register.all());
  }
}
