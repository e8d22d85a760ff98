import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const EXTRACT_STATUSES = ['pending', 'running', 'ready', 'failed'] as const;
export type ExtractStatus = (typeof EXTRACT_STATUSES)[number];

export interface ExtractStep {
  readonly name: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  startedAt?: string;
  finishedAt?: string;
  /** Counts and facts about the step, never identifiers. */
  detail?: Record<string, number | string | boolean>;
}

/** One extract per approval version: the data a project's workspace will hold, built by the worker. */
@Check('extracts_status_check', `"status" IN ('pending', 'running', 'ready', 'failed')`)
@Entity({ name: 'extracts' })
@Index('extracts_approval_key', ['approvalId'], { unique: true })
@Index('extracts_project_idx', ['projectId'])
export class ExtractEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'approval_id', type: 'uuid' }) approvalId!: string;
  @Column({ type: 'text' }) status!: ExtractStatus;
  @Column({ name: 'key_version', type: 'int' }) keyVersion!: number;
  @Column({ type: 'jsonb', default: () => "'[]'" }) steps!: ExtractStep[];
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason!: string | null;
  /** Set when ready: files, row counts, gate report and checksums. */
  @Column({ type: 'jsonb', nullable: true }) manifest!: Record<string, unknown> | null;
  /** When retention deleted its files from the store (the row, its counts and manifest stay). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
