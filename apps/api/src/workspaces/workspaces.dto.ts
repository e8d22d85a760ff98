import { ApiProperty } from '@nestjs/swagger';
import { STEP_STATES, WORKSPACE_OPERATIONS, WORKSPACE_STATES } from '@tre/workspaces';

export class WorkspaceStepDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STEP_STATES }) state!: string;
  @ApiProperty({ description: 'Times the step has been started (quick retries and job retries included)' })
  attempts!: number;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the job retries after a transient error' })
  nextRetryAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What the step did, or why it was skipped' })
  note!: string | null;
}

export class WorkspaceProgressDto {
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
}

export class WorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() approvalId!: string;
  @ApiProperty({ example: 'small' }) size!: string;
  @ApiProperty({ example: 'jupyterlab' }) tool!: string;
  @ApiProperty() namespace!: string;
  @ApiProperty({ enum: WORKSPACE_STATES }) state!: string;
  @ApiProperty({ enum: WORKSPACE_OPERATIONS, nullable: true, type: String }) operation!: string | null;
  @ApiProperty({ type: [WorkspaceStepDto] }) steps!: WorkspaceStepDto[];
  @ApiProperty({ type: WorkspaceProgressDto }) progress!: WorkspaceProgressDto;
  @ApiProperty({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty({ description: 'A failed workspace whose namespace the reconciler still has to delete' })
  cleanupPending!: boolean;
  @ApiProperty({ nullable: true, type: String }) teardownDueAt!: string | null;
  @ApiProperty({
    description: 'Where objects go: the cluster, or "no cluster attached" and the manifests folder',
  })
  cluster!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
