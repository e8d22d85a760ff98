import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { ReleaseManifest } from '../domain/manifest';
import { OutputRequestEntity } from './output-request.entity';

/** A released bundle: the approved files and the manifest that vouches for them. One per request. */
@Entity({ name: 'output_releases' })
@Index('output_releases_request_key', ['requestId'], { unique: true })
@Index('output_releases_project_idx', ['projectId'])
export class OutputReleaseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  /** SHA-256 of the manifest as stored (it lists every file's SHA-256, so it identifies the bundle). */
  @Column({ name: 'bundle_sha256', type: 'char', length: 64 }) bundleSha256!: string;
  @Column({ type: 'jsonb' }) manifest!: ReleaseManifest;
  @CreateDateColumn({ name: 'released_at', type: 'timestamptz' }) releasedAt!: Date;
  /** When retention deleted the bundle's files and manifest from the store; the row and ledger stay. */
  @Column({ name: 'files_deleted_at', type: 'timestamptz', nullable: true }) filesDeletedAt!: Date | null;

  @ManyToOne(() => OutputRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'output_releases_request_fk' })
  request?: OutputRequestEntity;
}
