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
import type { OutputVote } from '../domain/review-decision';
import { OutputFileEntity } from './output-file.entity';

/** A checker's vote on one file in one round; one each (the unique key refuses a second). */
@Check('output_reviews_vote_check', `"vote" IN ('approve', 'request_changes', 'reject')`)
@Entity({ name: 'output_reviews' })
@Index('output_reviews_one_per_checker', ['fileId', 'round', 'checkerId'], { unique: true })
@Index('output_reviews_request_round_idx', ['requestId', 'round'])
export class OutputReviewEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @Column({ name: 'file_id', type: 'uuid' }) fileId!: string;
  @Column({ name: 'checker_id', type: 'uuid' }) checkerId!: string;
  @Column({ type: 'int' }) round!: number;
  @Column({ type: 'text' }) vote!: OutputVote;
  @Column({ type: 'text', default: '' }) comment!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => OutputFileEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'output_reviews_file_fk' })
  file?: OutputFileEntity;
}
