import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OutputReleaseEntity } from './output-release.entity';

/**
 * A one-time, expiring link to one file of a release. Only the token's SHA-256 is stored, so a database
 * reader cannot use the links; the token itself is shown once, to the member who asked for it.
 */
@Entity({ name: 'output_download_links' })
@Index('output_download_links_token_key', ['tokenSha256'], { unique: true })
export class OutputDownloadLinkEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'release_id', type: 'uuid' }) releaseId!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  /** A file of the bundle, or `manifest.json`. */
  @Column({ name: 'file_name', type: 'text' }) fileName!: string;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column({ name: 'media_type', type: 'text' }) mediaType!: string;
  @Column({ name: 'token_sha256', type: 'char', length: 64 }) tokenSha256!: string;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => OutputReleaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'release_id', foreignKeyConstraintName: 'output_download_links_release_fk' })
  release?: OutputReleaseEntity;
}
