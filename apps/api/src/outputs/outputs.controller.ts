import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { OutputReaderService, OutputRequestService } from '@tre/outputs';
import {
  AddOutputFileDto,
  CreateOutputRequestDto,
  OutputListQueryDto,
  WithdrawOutputDto,
} from './outputs-input.dto';
import {
  AddedFileDto,
  CreatedOutputDto,
  OutputPageDto,
  OutputRequestDto,
  SubmittedOutputDto,
} from './outputs-output.dto';
import { outputFileOf, type UploadedParts } from './uploaded-parts';

const PARTS = [
  { name: 'file', maxCount: 1 },
  { name: 'record', maxCount: 1 },
];

/** The researcher's side of the airlock, and everyone's view of a request. */
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
  @ApiOkResponse({ type: OutputRequestDto })
  detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OutputRequestDto> {
    return this.reader.detail(user, id);
  }

  @Roles('researcher')
  @Post(':id/files')
  @UseInterceptors(FileFieldsInterceptor(PARTS))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AddOutputFileDto })
  @ApiCreatedResponse({ type: AddedFileDto })
  addFile(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFiles() parts: UploadedParts | undefined,
    @Body() body: AddOutputFileDto,
  ): Promise<AddedFileDto> {
    return this.requests.addFile(user, id, outputFileOf(parts, body.record));
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
