import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ProjectApprovalEntity, ProjectEntity } from '@tre/projects';
import type { WorkspaceOperation, WorkspaceState, WorkspaceStep } from '../lifecycle/workspace-state';
import type { WorkspaceSize, WorkspaceTool } from '../manifests/workspace-settings';

/**
 * A project's sealed workspace. `state` changes only through WorkspaceStore.transition (the table in
 * workspace-state.ts), with an audit event and a domain event in the same transaction.
 *
 * The steps of the current operation are a jsonb array on this row rather than a table of their own: they are
 * always read and written together with the state, under the same row lock, so a status read can never see a
 * step list from one operation and a state from another; there are at most a dozen; and each new operation
 * replaces them (the history of every operation is in the audit trail).
 */
@Check(
  'workspaces_state_check',
  `"state" IN ('requested', 'provisioning', 'ready', 'suspended', 'deprovisioning', 'deleted', 'failed')`,
)
@Check(
  'workspaces_operation_check',
  `"operation" IS NULL OR "operation" IN ('provision', 'suspend', 'resume', 'teardown')`,
)
@Entity({ name: 'workspaces' })
@Index('workspaces_approval_key', ['approvalId'], { unique: true })
@Index('workspaces_namespace_key', ['namespace'], { unique: true })
@Index('workspaces_project_idx', ['projectId'])
@Index('workspaces_state_idx', ['state'])
export class WorkspaceEntity {
  /** Chosen before the row is written, since the namespace name is derived from it. */
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId!: string;
  @Column({ type: 'text' }) size!: WorkspaceSize;
  @Column({ type: 'text' }) tool!: WorkspaceTool;
  @Column({ type: 'text' }) namespace!: string;
  @Column({ type: 'text' }) state!: WorkspaceState;
  /** The operation the steps belong to; null before the first one starts. */
  @Column({ type: 'text', nullable: true }) operation!: WorkspaceOperation | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) steps!: WorkspaceStep[];
  /** The run that owns the steps now (a new one per job attempt): a run that lost its claim records nothing. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId!: string | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;
  /**
   * Set when a failed provisioning could not delete what it made: the reconciler deletes the namespace and
   * clears it, so a namespace is never left without an owner who knows about it.
   */
  @Column({ name: 'cleanup_pending', type: 'boolean', default: false }) cleanupPending!: boolean;
  /** When the workspace is to be torn down (its project ended, plus the grace period). */
  @Column({ name: 'teardown_due_at', type: 'timestamptz', nullable: true }) teardownDueAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'workspaces_project_fk' })
  project?: ProjectEntity;

  @ManyToOne(() => ProjectApprovalEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'approval_id', foreignKeyConstraintName: 'workspaces_approval_fk' })
  approval?: ProjectApprovalEntity;
}
