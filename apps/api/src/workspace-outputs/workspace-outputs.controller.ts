import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import {
  WorkspaceOutputsService,
  type AddedByPath,
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
    description: "the files of the workspace's outputs folder: path, size, modified time, record",
  })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorkspaceOutputsListing> {
    return this.outputs.list(user, id);
  }

  @Roles('researcher')
  @Post('outputs/:id/paths')
  @ApiCreatedResponse({
    description: 'the collected file: its id, SHA-256 and size, and how it was collected',
  })
  add(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AddByPathDto,
  ): Promise<AddedByPath> {
    return this.outputs.add(user, id, body);
  }
}
