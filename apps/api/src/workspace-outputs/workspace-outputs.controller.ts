import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { FastifyReply as Response } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import type { OutputCollectionView, OutputListingView } from '@tre/outputs';
import {
  WorkspaceOutputsService,
  type AddedByPath,
  type CollectionStarted,
  type ListingStarted,
  type WorkspaceOutputsListing,
} from './workspace-outputs.service';

export class AddByPathDto {
  @ApiPropertyOptional({
    description:
      "the workspace whose outputs folder holds the file; by default the request's project's workspace",
  })
  @IsOptional()
  @IsUUID()
  workspaceId?: string;

  @ApiProperty({
    description: 'the file, relative to the outputs folder (no `..`, no absolute path, no link)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  path!: string;

  @ApiPropertyOptional({ description: 'its disclosure-control record (a .json file in the same folder)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  recordPath?: string;

  @ApiPropertyOptional({ description: 'what this file is' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  context?: string;

  @ApiPropertyOptional({ description: 'how disclosure was controlled' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  controls?: string;
}

/**
 * The only way a member puts output bytes into a request: by naming a path in their workspace's outputs
 * folder. The collector reads it there; no route takes the bytes from a person.
 */
@ApiTags('outputs')
@ApiBearerAuth()
@Controller()
export class WorkspaceOutputsController {
  constructor(private readonly outputs: WorkspaceOutputsService) {}

  @Roles('researcher', 'admin')
  @Get('workspaces/:id/outputs')
  @ApiOkResponse({
    description:
      "the files of the workspace's outputs folder (path, size, modified time, record): listed now with no cluster " +
      'attached; with a cluster, those of the newest listing a collector Job made (listedAt, ageSeconds; null ' +
      'before the first) and the listing under way, if any (pending)',
  })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceOutputsListing> {
    return this.outputs.list(user, id);
  }

  @Roles('researcher', 'admin')
  @Post('workspaces/:id/outputs/listings')
  @ApiCreatedResponse({ description: 'no cluster attached: the folder, listed at once by a local process' })
  @ApiAcceptedResponse({
    description:
      'a cluster attached: the listing the worker runs as a collector Job in list mode (its steps; follow it at ' +
      'GET /workspaces/{id}/outputs/listings/{listingId}); a listing already under way is answered instead',
  })
  @ApiConflictResponse({ description: 'the workspace is not ready or suspended: its volume cannot be read' })
  async startListing(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ListingStarted> {
    const started = await this.outputs.startListing(user, id);
    if (started.runner === 'kubernetes') response.status(202);
    return started;
  }

  @Roles('researcher', 'admin')
  @Get('workspaces/:id/outputs/listings/:listingId')
  @ApiOkResponse({
    description:
      "a listing: its state, the worker's steps as they happen, and the files once it has succeeded",
  })
  listing(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('listingId', ParseUUIDPipe) listingId: string,
  ): Promise<OutputListingView> {
    return this.outputs.listing(user, id, listingId);
  }

  @Roles('researcher')
  @Post('outputs/:id/paths')
  @ApiCreatedResponse({
    description:
      'no cluster attached: the file, collected at once by a local process: its id, SHA-256 and size',
  })
  @ApiAcceptedResponse({
    description:
      'a cluster attached: the collection the worker runs as a collector Job (its steps; follow it at GET /outputs/{id}/collections/{collectionId})',
  })
  @ApiConflictResponse({
    description: 'the request is not editable, the workspace is not ready, or another collection is running',
  })
  async add(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AddByPathDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AddedByPath | CollectionStarted> {
    const added = await this.outputs.add(user, id, body);
    if (added.runner === 'kubernetes') response.status(202);
    return added;
  }

  @Roles('researcher', 'admin')
  @Get('outputs/:id/collections/:collectionId')
  @ApiOkResponse({
    description: "a collection: its state, the worker's steps as they happen, and each file's result",
  })
  collection(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('collectionId', ParseUUIDPipe) collectionId: string,
  ): Promise<OutputCollectionView> {
    return this.outputs.collection(user, id, collectionId);
  }
}
