import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { AuditQueryService } from '@tre/audit';
import { DatasetCatalogueService } from '@tre/datasets';
import { TimelinePageDto } from '../audit/audit.dto';
import { PageQueryDto } from '../common/page-query.dto';
import {
  DatasetDto,
  DatasetListQueryDto,
  DatasetPageDto,
  FieldChangeDto,
  RegisterDatasetDto,
  UpdateDatasetDto,
} from './datasets.dto';

/**
 * The dataset catalogue. Everyone who works with projects reads it; custodians and admins write it, and a
 * custodian only changes the datasets they registered (the service checks ownership).
 */
@ApiTags('datasets')
@ApiBearerAuth()
@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly catalogue: DatasetCatalogueService,
    private readonly audit: AuditQueryService,
  ) {}

  /** A dataset's history from the audit trail, oldest first: registered, each edit and each field change. */
  @Roles('data_custodian', 'admin')
  @Get(':code/history')
  @ApiOkResponse({ type: TimelinePageDto })
  async history(
    @CurrentUser() user: AuthenticatedUser,
    @Param('code') code: string,
    @Query() paging: PageQueryDto,
  ): Promise<TimelinePageDto> {
    const dataset = await this.catalogue.findByCode(code);
    return this.audit.timeline('dataset', dataset.id, user, paging);
  }

  @Roles('data_custodian', 'admin')
  @Post()
  @ApiCreatedResponse({ type: DatasetDto })
  register(@CurrentUser() user: AuthenticatedUser, @Body() body: RegisterDatasetDto): Promise<DatasetDto> {
    return this.catalogue.register(user, body);
  }

  @Roles('researcher', 'dac_member', 'data_custodian', 'admin', 'output_checker')
  @Get()
  @ApiOkResponse({ type: DatasetPageDto })
  list(@Query() query: DatasetListQueryDto): Promise<DatasetPageDto> {
    return this.catalogue.list(query);
  }

  @Roles('researcher', 'dac_member', 'data_custodian', 'admin', 'output_checker')
  @Get(':code')
  @ApiOkResponse({ type: DatasetDto })
  get(@Param('code') code: string): Promise<DatasetDto> {
    return this.catalogue.findByCode(code);
  }

  @Roles('data_custodian', 'admin')
  @Patch(':code')
  @ApiOkResponse({ type: DatasetDto })
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('code') code: string,
    @Body() body: UpdateDatasetDto,
  ): Promise<DatasetDto> {
    return this.catalogue.update(user, code, body);
  }

  @Roles('data_custodian', 'admin')
  @Put(':code/fields/:name')
  @ApiOkResponse({ type: DatasetDto, description: 'The dataset with the field added or changed' })
  putField(
    @CurrentUser() user: AuthenticatedUser,
    @Param('code') code: string,
    @Param('name') name: string,
    @Body() body: FieldChangeDto,
  ): Promise<DatasetDto> {
    return this.catalogue.putField(user, code, name, body);
  }
}
