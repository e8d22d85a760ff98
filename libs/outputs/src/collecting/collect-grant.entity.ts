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
import { OutputRequestEntity } from '../entities/output-request.entity';
import { OutputListingEntity } from './output-listing.entity';

/** One file a collection asks for, as a member named it: a path in the outputs volume, and what it is. */
export interface CollectItem {
  readonly path: string;
  readonly recordPath: string | null;
  /** The researcher's "what this is" and "how disclosure was controlled" (as OpenSAFELY's airlock asks). */
  readonly context: string | null;
  readonly controls: string | null;
}

/** What became of one item: stored (with the file's id and SHA-256) or refused with the reason. */
export type CollectItemResult =
  | {
      readonly status: 'stored';
      readonly fileId: string;
      readonly sha256: string;
      readonly sizeBytes: number;
    }
  | { readonly status: 'failed'; readonly reason: string };

/** Where the collector ran, recorded as each file's provenance (the worker fills it when it starts the Job). */
export interface CollectOrigin {
  readonly workspaceId: string;
  readonly namespace: string | null;
  readonly claimUid: string | null;
  readonly jobUid: string | null;
  readonly image: string | null;
  /** `kubernetes` (a Job in the workspace's namespace) or `local-process` (no cluster: a folder stands in). */
  readonly runner: 'kubernetes' | 'local-process';
}

/**
 * A one-time grant for a collector: a bearer token known only by its SHA-256, until it expires, is revoked or is
 * spent (the collector reports it is done). Scoped to exactly one of: an output request (add mode: the named
 * paths go into it) or a listing of a workspace's outputs folder (list mode: no paths, the listing is reported).
 * One live grant per request, and per listing, at a time.
 */
@Entity({ name: 'output_collect_grants' })
@Index('output_collect_grants_token_key', ['tokenHash'], { unique: true })
@Index('output_collect_grants_live_key', ['requestId'], {
  unique: true,
  where: '"revoked_at" IS NULL AND "spent_at" IS NULL',
})
@Index('output_collect_grants_live_listing_key', ['listingId'], {
  unique: true,
  where: '"revoked_at" IS NULL AND "spent_at" IS NULL',
})
@Check('output_collect_grants_scope_check', '("request_id" IS NULL) <> ("listing_id" IS NULL)')
export class CollectGrantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'token_hash', type: 'text' }) tokenHash!: string;
  /** Add mode: the request the files go into (null for a listing grant). */
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId!: string | null;
  /** List mode: the listing the collector reports (null for an add grant). */
  @Column({ name: 'listing_id', type: 'uuid', nullable: true }) listingId!: string | null;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  /** The member who asked for the collection: the files are added as theirs. */
  @Column({ name: 'requested_by', type: 'text' }) requestedBy!: string;
  @Column({ type: 'jsonb' }) items!: CollectItem[];
  @Column({ type: 'jsonb' }) origin!: CollectOrigin;
  /** Results by item index, filled as the collector reports each. */
  @Column({ type: 'jsonb', default: () => `'{}'` }) results!: Record<string, CollectItemResult>;
  /** Records received ahead of their file, by item index: the record's SHA-256 in the object store. */
  @Column({ name: 'pending_records', type: 'jsonb', default: () => `'{}'` })
  pendingRecords!: Record<string, string>;
  @CreateDateColumn({ name: 'issued_at', type: 'timestamptz' }) issuedAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'spent_at', type: 'timestamptz', nullable: true }) spentAt!: Date | null;

  @ManyToOne(() => OutputRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'output_collect_grants_request_fk' })
  request?: OutputRequestEntity;

  @ManyToOne(() => OutputListingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'output_collect_grants_listing_fk' })
  listing?: OutputListingEntity;
}

/** What a grant is for: one request's paths (add mode) or one listing (list mode). */
export type GrantScope = { readonly requestId: string } | { readonly listingId: string };
