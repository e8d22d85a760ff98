import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';
import type { DatasetRequestTerms } from '../domain/approval-terms';

/**
 * Exactly what was approved: datasets and fields, conditions, end date and who approved. Extracts and
 * workspaces are built from this row, never from the (editable) application.
 */
@Entity({ name: 'project_approvals' })
@Index('project_approvals_version_key', ['projectId', 'approvalVersion'], { unique: true })
export class ProjectApprovalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'approval_version', type: 'int' }) approvalVersion!: number;
  @Column({ name: 'application_version', type: 'int' }) applicationVersion!: number;
  @Column({ type: 'jsonb' }) datasets!: DatasetRequestTerms[];
  @Column({ type: 'text', array: true }) conditions!: string[];
  @Column({ name: 'end_date', type: 'date' }) endDate!: string;
  @Column({ name: 'approver_ids', type: 'uuid', array: true }) approverIds!: string[];
  /** The workspace the approval fixes (size and tool, defaults filled in); null on approvals made before. */
  @Column({ type: 'jsonb', nullable: true }) workspace!: { size: string; tool: string } | null;
  @Column({ name: 'approved_at', type: 'timestamptz' }) approvedAt!: Date;

  /** Declared so schema diffs keep the foreign key; rows go with their project. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'project_approvals_project_fk' })
  project?: ProjectEntity;
}
