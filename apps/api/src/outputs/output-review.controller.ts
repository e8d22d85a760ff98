import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply as Response } from 'fastify';
import { CurrentUser, Public, Roles, type AuthenticatedUser } from '@tre/auth';
import {
  OutputCommentService,
  OutputReleaseService,
  OutputReviewService,
  type FileContent,
} from '@tre/outputs';
import { OutputCommentInputDto, OutputReviewDto } from './outputs-input.dto';
import {
  DownloadLinksDto,
  OutputCommentDto,
  OutputCommentThreadDto,
  OutputFilePreviewDto,
  ReviewOutcomeDto,
} from './outputs-output.dto';

/**
 * Every download is an attachment with `nosniff`. `X-Content-SHA256` is the SHA-256 of the bytes sent;
 * `X-Output-SHA256` the stored file's (the one checked, listed in the manifest and released); they differ
 * only for a checker's copy whose formula cells were neutralised (`X-Neutralised-Cells`).
 */
function send(res: Response, file: FileContent): StreamableFile {
  res.header('X-Content-SHA256', file.servedSha256);
  res.header('X-Output-SHA256', file.sha256);
  res.header('X-Neutralised-Cells', String(file.neutralisedCells));
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Cache-Control', 'no-store');
  return new StreamableFile(file.content, {
    type: file.mediaType,
    length: file.content.length,
    disposition: `attachment; filename="${file.fileName.replace(/"/g, '')}"`,
  });
}

/** Output checkers' votes and reads, and members' downloads of released bundles. */
@ApiTags('outputs')
@ApiBearerAuth()
@Controller('outputs/:id')
export class OutputReviewController {
  constructor(
    private readonly reviews: OutputReviewService,
    private readonly releases: OutputReleaseService,
    private readonly comments: OutputCommentService,
  ) {}

  /** The checkers' thread: theirs while the round is in review, the project's members' once it is decided. */
  @Roles('researcher', 'output_checker', 'admin')
  @Get('comments')
  @ApiOkResponse({ type: OutputCommentThreadDto })
  thread(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<OutputCommentThreadDto> {
    return this.comments.list(user, id);
  }

  @Roles('output_checker')
  @Post('comments')
  @ApiCreatedResponse({ type: OutputCommentDto })
  comment(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OutputCommentInputDto,
  ): Promise<OutputCommentDto> {
    return this.comments.add(user, id, body);
  }

  @Roles('output_checker')
  @Post('reviews')
  @HttpCode(200)
  @ApiOkResponse({ type: ReviewOutcomeDto })
  review(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OutputReviewDto,
  ): Promise<ReviewOutcomeDto> {
    return this.reviews.review(user, id, body.votes);
  }

  /** A checker of this round changes their votes, only while the checkers disagree (conflicted). */
  @Roles('output_checker')
  @Put('reviews/mine')
  @ApiOkResponse({ type: ReviewOutcomeDto })
  revise(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OutputReviewDto,
  ): Promise<ReviewOutcomeDto> {
    return this.reviews.revise(user, id, body.votes);
  }

  /** A file under review, for the checkers only: nobody else reads an unreleased file. */
  @Roles('output_checker')
  @Get('files/:fileId/content')
  @ApiProduces('application/octet-stream')
  async content(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('fileId', ParseUUIDPipe) fileId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return send(res, await this.releases.fileForChecker(user, id, fileId));
  }

  /**
   * What the checker's file review shows of a file that has no table record: a CSV's first rows and columns, a
   * text file's start, or why nothing is shown. Same access and audit as the download.
   */
  @Roles('output_checker')
  @Get('files/:fileId/preview')
  @ApiOkResponse({ type: OutputFilePreviewDto })
  preview(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('fileId', ParseUUIDPipe) fileId: string,
  ): Promise<OutputFilePreviewDto> {
    return this.releases.previewForChecker(user, id, fileId);
  }

  /** One-time links to each file of the released bundle and its manifest, for the project's members. */
  @Roles('researcher')
  @Post('download-links')
  @ApiCreatedResponse({ type: DownloadLinksDto })
  links(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DownloadLinksDto> {
    return this.releases.createLinks(user, id);
  }
}

/**
 * Spending a download link. Public on purpose: the link's own token (one-time, short-lived, issued to one
 * member and stored only as its hash) is the credential, so a browser or `curl` can follow it.
 */
@ApiTags('outputs')
@Controller('output-downloads')
export class OutputDownloadsController {
  constructor(private readonly releases: OutputReleaseService) {}

  @Public()
  @Get(':token')
  @ApiProduces('application/octet-stream')
  async download(
    @Param('token') token: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return send(res, await this.releases.download(token));
  }
}
