import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { WorkspaceStep } from '@tre/workspaces';
import { OutputRequestEntity } from '../entities/output-request.entity';
import type { CollectItem, CollectItemResult } from './collect-grant.entity';

export const COLLECTION_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type CollectionState = (typeof COLLECTION_STATES)[number];

/** The worker's steps of a collection in the cluster, in order; `clean-up` runs whatever happened before it. */
export const COLLECTION_STEP_NAMES = [
  'issue-grant',
  'token-secret',
  'egress-policy',
  'collector-job',
  'wait-for-job',
  'clean-up',
] as const;

/**
 * One collection of files from a workspace's outputs volume into a request: what a member asked for, how the
 * worker's steps went (recorded as they happen, like a workspace's) and what became of each file. The grant
 * it ran under is named; its token never is.
 */
@Check('output_collections_state_check', `"state" IN ('queued', 'running', 'succeeded', 'failed')`)
@Check('output_collections_runner_check', `"runner" IN ('kubernetes', 'local-process')`)
@Entity({ name: 'output_collections' })
@Index('output_collections_request_idx', ['requestId'])
@Index('output_collections_workspace_idx', ['workspaceId'])
@Index('output_collections_unsettled_key', ['requestId'], {
  unique: true,
  where: `"state" IN ('queued', 'running')`,
})
export class OutputCollectionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  /** The workspace whose outputs volume is read (no foreign key: the workspaces library owns that table). */
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId!: string;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy!: string;
  @Column({ type: 'text' }) runner!: 'kubernetes' | 'local-process';
  @Column({ type: 'text' }) state!: CollectionState;
  @Column({ type: 'jsonb' }) items!: CollectItem[];
  @Column({ type: 'jsonb', default: () => "'[]'" }) steps!: WorkspaceStep[];
  /** The run that owns the steps now (a new one per job attempt): a run that lost its claim records nothing. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId!: string | null;
  /** Per item, in the order of `items`, once the collection has settled. */
  @Column({ type: 'jsonb', nullable: true }) results!: CollectItemResult[] | null;
  /** The collect grant the collector ran under, once issued. */
  @Column({ name: 'grant_id', type: 'uuid', nullable: true }) grantId!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;

  @ManyToOne(() => OutputRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'output_collections_request_fk' })
  request?: OutputRequestEntity;
}
