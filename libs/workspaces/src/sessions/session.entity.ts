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
import { WorkspaceEntity } from '../entities/workspace.entity';

export const SESSION_END_REASONS = [
  'closed',
  'idle',
  'revoked',
  'suspended',
  'expired',
  'terminated',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * One person's session on one workspace's tool through the access gateway. It starts as a one-time ticket
 * (known only by its SHA-256, short-lived); redeeming it at the gateway stamps `redeemed_at` and sets the
 * session token the gateway's cookie carries (also known only by its SHA-256), so the ticket is dead. The
 * session lives until it is ended, with a reason, once.
 */
@Check(
  'workspace_sessions_end_reason_check',
  `("ended_at" IS NULL) = ("end_reason" IS NULL) AND ("end_reason" IS NULL OR "end_reason" IN ('closed', 'idle', 'revoked', 'suspended', 'expired', 'terminated'))`,
)
@Check('workspace_sessions_token_check', `("redeemed_at" IS NULL) = ("token_hash" IS NULL)`)
@Entity({ name: 'workspace_sessions' })
@Index('workspace_sessions_ticket_key', ['ticketHash'], { unique: true })
@Index('workspace_sessions_token_key', ['tokenHash'], { unique: true })
@Index('workspace_sessions_workspace_idx', ['workspaceId'])
@Index('workspace_sessions_live_idx', ['projectId'], { where: '"ended_at" IS NULL' })
export class WorkspaceSessionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  /** The person: users.id, and the identity-provider subject membership is recorded by. */
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ name: 'ticket_hash', type: 'text' }) ticketHash!: string;
  @Column({ name: 'ticket_expires_at', type: 'timestamptz' }) ticketExpiresAt!: Date;
  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true }) redeemedAt!: Date | null;
  @Column({ name: 'token_hash', type: 'text', nullable: true }) tokenHash!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'last_activity_at', type: 'timestamptz', nullable: true }) lastActivityAt!: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason!: SessionEndReason | null;
  /** Bytes from the person to the tool and back, as the gateways report them. */
  @Column({ name: 'bytes_in', type: 'bigint', default: 0 }) bytesIn!: string;
  @Column({ name: 'bytes_out', type: 'bigint', default: 0 }) bytesOut!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'workspace_sessions_workspace_fk' })
  workspace?: WorkspaceEntity;
}
