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
import { ProjectEntity } from '@tre/projects';
import type { OutputStatus } from '../domain/output-status';

/**
 * A request to take files out of a project's workspace. `status` changes only through OutputLifecycle (the
 * transition table), in a transaction that locks this row and writes the audit event. `round` counts
 * submissions: checks and reviews belong to one round, so a resubmission starts afresh.
 */
@Check(
  'output_requests_status_check',
  `"status" IN ('draft', 'submitted', 'checking', 'blocked', 'in_review', 'approved', 'rejected', 'returned', 'withdrawn', 'released')`,
)
@Entity({ name: 'output_requests' })
@Index('output_requests_project_idx', ['projectId'])
@Index('output_requests_status_idx', ['status'])
// (status, updated_at DESC, id) for the checker's queue, made by the ReadPathIndexes migration: TypeORM cannot
// state a descending column, so it is declared here only so that a generated migration does not drop it.
@Index('output_requests_status_updated_idx', { synchronize: false })
export class OutputRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'author_id', type: 'uuid' }) authorId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) status!: OutputStatus;
  @Column({ type: 'int', default: 0 }) round!: number;
  /** Set when the automated check cannot run (a file missing from the store): the researcher resubmits. */
  @Column({ name: 'check_error', type: 'text', nullable: true }) checkError!: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt!: Date | null;
  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true }) checkedAt!: Date | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;

  /** Declared so schema diffs keep the foreign key; a project with outputs is never deleted. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'output_requests_project_fk' })
  project?: ProjectEntity;
}
