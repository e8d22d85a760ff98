import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '@tre/auth';
import {
  WORKSPACE_SETTINGS,
  WORKSPACE_SIZES,
  WORKSPACE_TOOLS,
  workspaceOptions,
  type WorkspaceSettings,
  type WorkspaceSize,
  type WorkspaceTool,
} from '@tre/workspaces';

export class WorkspaceSizeOptionDto {
  @ApiProperty({ enum: WORKSPACE_SIZES }) name!: WorkspaceSize;
  @ApiProperty({ description: 'CPU of the tool, in Kubernetes units ("2", "500m")' }) cpu!: string;
  @ApiProperty({ description: 'Memory of the tool, in Kubernetes units ("8Gi")' }) memory!: string;
  @ApiProperty({ description: 'Space for the extract' }) dataStorage!: string;
  @ApiProperty({ description: 'Space for outputs' }) outputsStorage!: string;
  @ApiProperty() isDefault!: boolean;
}

export class WorkspaceToolOptionDto {
  @ApiProperty({ enum: WORKSPACE_TOOLS }) name!: WorkspaceTool;
  @ApiProperty() label!: string;
  @ApiProperty() isDefault!: boolean;
}

export class WorkspaceOptionsDto {
  @ApiProperty({ type: [WorkspaceSizeOptionDto] }) sizes!: WorkspaceSizeOptionDto[];
  @ApiProperty({ type: [WorkspaceToolOptionDto] }) tools!: WorkspaceToolOptionDto[];
}

/** The workspace sizes and tools this deployment offers, for the application form (what the API accepts). */
@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspace-options')
export class WorkspaceOptionsController {
  private readonly options: WorkspaceOptionsDto;

  constructor(@Inject(WORKSPACE_SETTINGS) settings: WorkspaceSettings) {
    // Settings are read once at start-up; so are the options.
    this.options = workspaceOptions(settings);
  }

  @AnyRole()
  @Get()
  @ApiOkResponse({ type: WorkspaceOptionsDto })
  list(): WorkspaceOptionsDto {
    return this.options;
  }
}
