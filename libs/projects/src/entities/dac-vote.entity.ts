import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ProjectEntity } from './project.entity';
import type { VoteDecision } from '../domain/review-policy';

/** A reviewer's vote on one submitted version; one each (the unique key refuses a second). */
@Check('dac_votes_decision_check', `"decision" IN ('approve', 'reject', 'request_changes')`)
@Entity({ name: 'dac_votes' })
@Index('dac_votes_one_per_reviewer', ['projectId', 'applicationVersion', 'reviewerId'], { unique: true })
export class DacVoteEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'application_version', type: 'int' }) applicationVersion!: number;
  @Column({ name: 'reviewer_id', type: 'uuid' }) reviewerId!: string;
  @Column({ type: 'text' }) decision!: VoteDecision;
  @Column({ type: 'text' }) comment!: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) conditions!: string[];
  /** Narrower fields per dataset code, when an approving reviewer grants less than was asked. */
  @Column({ type: 'jsonb', nullable: true }) fields!: Record<string, string[]> | null;
  @Column({ name: 'end_date', type: 'date', nullable: true }) endDate!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  /** Declared so schema diffs keep the foreign key; rows go with their project. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'dac_votes_project_fk' })
  project?: ProjectEntity;
}
