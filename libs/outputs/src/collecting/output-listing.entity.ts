import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { OutputListing, WorkspaceStep } from '@tre/workspaces';
import type { CollectOrigin } from './collect-grant.entity';
import type { CollectionState } from './output-collection.entity';

/**
 * One listing of a workspace's outputs folder by its collector in list mode: who asked, how the worker's steps
 * went (recorded as they happen, like a collection's) and the files the collector reported. A listing belongs
 * to the workspace, not to an output request (a member lists before choosing what to add, and one listing
 * serves every request of the project), so it is its own table rather than a collection with no request:
 * collections carry items, per-file results and a request's access rules, a listing none of them.
 */
@Check('output_listings_state_check', `"state" IN ('queued', 'running', 'succeeded', 'failed')`)
@Check('output_listings_runner_check', `"runner" IN ('kubernetes', 'local-process')`)
@Entity({ name: 'output_listings' })
@Index('output_listings_workspace_idx', ['workspaceId', 'createdAt'])
@Index('output_listings_unsettled_key', ['workspaceId'], {
  unique: true,
  where: `"state" IN ('queued', 'running')`,
})
export class OutputListingEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  /** The workspace whose outputs volume is listed (no foreign key: the workspaces library owns that table). */
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId!: string;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy!: string;
  @Column({ type: 'text' }) runner!: 'kubernetes' | 'local-process';
  @Column({ type: 'text' }) state!: CollectionState;
  @Column({ type: 'jsonb', default: () => "'[]'" }) steps!: WorkspaceStep[];
  /** The run that owns the steps now (a new one per job attempt): a run that lost its claim records nothing. */
  @Column({ name: 'run_id', type: 'uuid', nullable: true }) runId!: string | null;
  /** What the collector reported (the intake checked every path), once it has. */
  @Column({ type: 'jsonb', nullable: true }) listing!: OutputListing | null;
  /** Where the listing was made: namespace, outputs claim, Job, image (the grant's provenance). */
  @Column({ type: 'jsonb', nullable: true }) origin!: CollectOrigin | null;
  /** The collect grant the collector ran under, once issued. */
  @Column({ name: 'grant_id', type: 'uuid', nullable: true }) grantId!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
