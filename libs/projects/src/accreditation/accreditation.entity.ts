import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const ACCREDITATION_STATES = ['current', 'lapsed'] as const;
export type AccreditationState = (typeof ACCREDITATION_STATES)[number];

/**
 * The admin-kept accreditation register: one row per person (identity-provider subject). Where a row exists it
 * is authoritative over the expiry the researcher declared on each project membership; a lapsed row, or one
 * past its expiry, closes every door the declared date would have opened.
 */
@Check('accreditations_state_check', `"state" IN ('current', 'lapsed')`)
@Entity({ name: 'accreditations' })
export class AccreditationEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_accreditations_subject' }) subject!: string;
  @Column({ name: 'expires_on', type: 'date' }) expiresOn!: string;
  /** The accrediting body and its reference, as the admin wrote it. */
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'text' }) state!: AccreditationState;
  @Column({ name: 'lapsed_reason', type: 'text', nullable: true }) lapsedReason!: string | null;
  /** The admin (user id) who last changed the row. */
  @Column({ name: 'updated_by', type: 'uuid' }) updatedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
