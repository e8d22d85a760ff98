import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { OutputReaderService, OutputRequestService } from '@tre/outputs';
import { CreateOutputRequestDto, OutputListQueryDto, WithdrawOutputDto } from './outputs-input.dto';
import { CreatedOutputDto, OutputPageDto, OutputRequestDto, SubmittedOutputDto } from './outputs-output.dto';
import { CachedRead } from '../read-cache/cached-read.decorator';
/**
 * The researcher's side of the airlock, and everyone's view of a request. No route here takes output bytes:
 * files enter a request only by path from the workspace's outputs volume (`POST /outputs/:id/paths`), read
 * there by the collector.
 */
@ApiTags('outputs')
@ApiBearerAuth()
@Controller('outputs')
export class OutputsController {
  constructor(
    private readonly requests: OutputRequestService,
    private readonly reader: OutputReaderService,
  ) {}

  @Roles('researcher')
  @Post()
  @ApiCreatedResponse({ type: CreatedOutputDto })
  create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateOutputRequestDto,
  ): Promise<CreatedOutputDto> {
    return this.requests.create(user, body.projectId, body.title);
  }

  @Roles('researcher', 'output_checker', 'admin')
  @Get()
  @CachedRead(['output_requests', 'output_files', 'output_reviews', 'project_members'])
  @ApiOkResponse({ type: OutputPageDto })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: OutputListQueryDto): Promise<OutputPageDto> {
    return this.reader.list(user, query);
  }

  /** The disclosure-control rules in force (OUTPUT_RULES_FILE), as every check applies them. */
  @Roles('researcher', 'output_checker', 'admin')
  @Get('rules')
  @ApiOkResponse({ description: "the rule set's name, version, SHA-256 and every setting" })
  rules(): ReturnType<OutputReaderService['rules']> {
    return this.reader.rules();
  }

  @Roles('researcher', 'output_checker', 'admin')
  @Get(':id')
  @CachedRead([
    'output_requests',
    'output_files',
    'output_releases',
    'output_reviews',
    'projects',
    'project_members',
    'accreditations',
  ])
  @ApiOkResponse({ type: OutputRequestDto })
  detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OutputRequestDto> {
    return this.reader.detail(user, id);
  }

  @Roles('researcher')
  @Delete(':id/files/:fileId')
  @HttpCode(204)
  @ApiNoContentResponse()
  removeFile(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('fileId', ParseUUIDPipe) fileId: string,
  ): Promise<void> {
    return this.requests.removeFile(user, id, fileId);
  }

  /** Submits or resubmits: the automated checks run at once, in the worker. */
  @Roles('researcher')
  @Post(':id/submit')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SubmittedOutputDto })
  submit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SubmittedOutputDto> {
    return this.requests.submit(user, id);
  }

  @Roles('researcher')
  @Post(':id/withdraw')
  @HttpCode(204)
  @ApiNoContentResponse()
  withdraw(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: WithdrawOutputDto,
  ): Promise<void> {
    return this.requests.withdraw(user, id, body.reason);
  }
}
