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
import type { SdcRecord } from '@tre/sdc';
import type { FileCheckResult } from '../domain/check-file';
import type { FileDecision } from '../domain/review-decision';
import { OutputRequestEntity } from './output-request.entity';

/** A collected file's provenance: the workspace and Job it left through, and the file as found there. */
export interface OutputProvenance {
  readonly source: 'workspace-outputs';
  readonly workspaceId: string;
  readonly namespace: string | null;
  readonly claimUid: string | null;
  readonly jobUid: string | null;
  readonly image: string | null;
  readonly runner: 'kubernetes' | 'local-process';
  readonly grantId: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly modifiedAt: string | null;
  readonly recordPath: string | null;
  readonly recordSha256: string | null;
  readonly collectedAt: string;
}

export type CheckState = 'pending' | 'running' | 'done';

/** One file of a request: its bytes live in the object store under `sha256`; the row never holds them. */
@Check('output_files_check_state_check', `"check_state" IN ('pending', 'running', 'done')`)
@Check(
  'output_files_decision_check',
  `"decision" IN ('pending', 'approved', 'changes_requested', 'rejected')`,
)
@Check('output_files_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Entity({ name: 'output_files' })
@Index('output_files_request_name_key', ['requestId', 'fileName'], { unique: true })
// Partial, made by the ListingIndexes migration (kept files: the register; conflicted files: the checkers'
// queue); declared so a generated migration does not drop them.
@Index('output_files_kept_idx', { synchronize: false })
@Index('output_files_conflicted_idx', { synchronize: false })
export class OutputFileEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ name: 'file_name', type: 'text' }) fileName!: string;
  @Column({ name: 'media_type', type: 'text' }) mediaType!: string;
  @Column({ name: 'size_bytes', type: 'int' }) sizeBytes!: number;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  /** The disclosure-control record, validated against the engine's schema; null: review by hand only. */
  @Column({ type: 'jsonb', nullable: true }) record!: SdcRecord | null;
  @Column({ name: 'check_state', type: 'text', default: 'pending' }) checkState!: CheckState;
  @Column({ name: 'check_result', type: 'jsonb', nullable: true }) checkResult!: FileCheckResult | null;
  @Column({ type: 'text', default: 'pending' }) decision!: FileDecision;
  /** The checkers disagreed on this file in the deciding round. */
  @Column({ type: 'boolean', default: false }) conflicted!: boolean;
  /** Where the bytes came from: the workspace's outputs volume, as the collector found them (null: uploaded). */
  @Column({ type: 'jsonb', nullable: true }) provenance!: OutputProvenance | null;
  /** The researcher's "what this is" and "how disclosure was controlled". */
  @Column({ type: 'text', nullable: true }) context!: string | null;
  @Column({ type: 'text', nullable: true }) controls!: string | null;
  /** When retention deleted the file's bytes from the store (and, unreleased, its record). */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => OutputRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'output_files_request_fk' })
  request?: OutputRequestEntity;
}
