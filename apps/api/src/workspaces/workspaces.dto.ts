import { ApiProperty } from '@nestjs/swagger';
import {
  CLUSTER_PRESENCES,
  STEP_STATES,
  WORKSPACE_OPERATIONS,
  WORKSPACE_STATES,
  type ClusterPresence,
} from '@tre/workspaces';

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
    enum: CLUSTER_PRESENCES,
    description:
      '`attached`: the workspace is made in a cluster and its tool runs; `none`: only its manifests are written and nothing runs, whatever `state` says',
  })
  cluster!: ClusterPresence;
  @ApiProperty({ description: "Where objects go: the cluster's API, or the folder manifests are written to" })
  clusterTarget!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'With no cluster attached, the plain sentence saying that only manifests were written',
  })
  clusterNotice!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class WorkspacePageDto {
  @ApiProperty({ type: [WorkspaceDto] }) items!: WorkspaceDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
