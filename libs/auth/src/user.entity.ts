import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person known from their tokens; upserted on sight so roles always reflect the identity provider. */
@Entity({ name: 'users' })
@Index('users_issuer_subject_key', ['issuer', 'subject'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  issuer!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  /** From the token's `email` claim, refreshed on sight; null when no token of theirs carried one. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** Whether notifications also go by email (the in-app inbox always gets them); the person's own choice. */
  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;
}
