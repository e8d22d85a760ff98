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
import { ExtractEntity } from '@tre/datasets';
import { ProjectEntity } from '@tre/projects';

/**
 * One grant to load one extract into one workspace: a bearer token known only by its SHA-256, usable until it
 * expires, is revoked, or the loader reports completion. No foreign key to the workspace: the grant outlives
 * nothing it names, and a workspace row may be deleted while its audit trail of loads stays readable.
 */
@Check(
  'workspace_load_grants_report_check',
  `("completed_at" IS NULL) = ("files_verified" IS NULL) AND ("completed_at" IS NULL) = ("bytes" IS NULL)`,
)
@Entity({ name: 'workspace_load_grants' })
@Index('workspace_load_grants_token_key', ['tokenHash'], { unique: true })
// At most one grant per workspace and extract is live (not revoked, not completed); expiry is checked on use.
@Index('workspace_load_grants_live_key', ['workspaceId', 'extractId'], {
  unique: true,
  where: '"revoked_at" IS NULL AND "completed_at" IS NULL',
})
@Index('workspace_load_grants_workspace_idx', ['workspaceId'])
export class LoadGrantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Hex SHA-256 of the token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'text' }) tokenHash!: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'extract_id', type: 'uuid' }) extractId!: string;
  @CreateDateColumn({ name: 'issued_at', type: 'timestamptz' }) issuedAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'files_verified', type: 'int', nullable: true }) filesVerified!: number | null;
  @Column({ type: 'bigint', nullable: true }) bytes!: string | null;

  /** Declared so schema diffs keep the foreign keys. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'workspace_load_grants_project_fk' })
  project?: ProjectEntity;

  @ManyToOne(() => ExtractEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'extract_id', foreignKeyConstraintName: 'workspace_load_grants_extract_fk' })
  extract?: ExtractEntity;
}
