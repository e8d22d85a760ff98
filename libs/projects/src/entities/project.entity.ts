import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ProjectStatus } from '../domain/project-status';

/**
 * A research project from application to close. `status` changes only through ProjectLifecycle (the
 * transition table), inside a transaction that locks this row and writes the audit event.
 */
@Check(
  'projects_status_check',
  `"status" IN ('draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn', 'suspended', 'revoked', 'expired', 'closed')`,
)
@Check('projects_legal_hold_check', `("legal_hold_reason" IS NULL) = ("legal_hold_placed_at" IS NULL)`)
@Entity({ name: 'projects' })
@Index('projects_status_idx', ['status'])
// Partial, made by the Retention migration; declared so a generated migration does not drop it.
@Index('projects_ended_idx', { synchronize: false })
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) title!: string;
  /** Public: shown in the register. */
  @Column({ name: 'lay_summary', type: 'text' }) laySummary!: string;
  @Column({ name: 'scientific_purpose', type: 'text' }) scientificPurpose!: string;
  @Column({ name: 'public_benefit', type: 'text' }) publicBenefit!: string;
  @Column({ type: 'text' }) organisation!: string;
  @Column({ name: 'lead_id', type: 'uuid' }) leadId!: string;
  @Column({ type: 'text' }) status!: ProjectStatus;
  /** The application version being edited or reviewed; each submission freezes one in project_versions. */
  @Column({ name: 'application_version', type: 'int', default: 1 }) applicationVersion!: number;
  @Column({ name: 'requested_end_date', type: 'date' }) requestedEndDate!: string;
  /** Set by approval: the end date the DAC granted. */
  @Column({ name: 'end_date', type: 'date', nullable: true }) endDate!: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt!: Date | null;
  /** The workspace asked for (size and tool); null parts take the deployment's default at approval. */
  @Column({ name: 'workspace_choice', type: 'jsonb', nullable: true }) workspaceChoice!: {
    size?: string;
    tool?: string;
  } | null;
  @Column({ name: 'outputs_released', type: 'int', default: 0 }) outputsReleased!: number;
  /** When the project was revoked, expired or closed: the retention periods count from here. */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  /** An admin's legal hold: while set, retention deletes nothing of this project. */
  @Column({ name: 'legal_hold_reason', type: 'text', nullable: true }) legalHoldReason!: string | null;
  @Column({ name: 'legal_hold_placed_at', type: 'timestamptz', nullable: true })
  legalHoldPlacedAt!: Date | null;
  @Column({ name: 'legal_hold_placed_by', type: 'text', nullable: true }) legalHoldPlacedBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
