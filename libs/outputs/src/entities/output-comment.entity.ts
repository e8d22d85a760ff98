import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { OutputRequestEntity } from './output-request.entity';

/**
 * A checker's note on a request in review, in one thread per request. Private among the checkers until the
 * round it was written in is decided; then the project's members read it too (`commentOpenSql`).
 */
@Entity({ name: 'output_comments' })
@Index('output_comments_request_idx', ['requestId', 'createdAt'])
export class OutputCommentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'output_comments_pkey' }) id!: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId!: string;
  /** The submission round it was written in: the round's decision opens it to the researcher. */
  @Column({ type: 'int' }) round!: number;
  @Column({ name: 'author_id', type: 'uuid' }) authorId!: string;
  /** The file it is about, or null for the request as a whole. */
  @Column({ name: 'file_id', type: 'uuid', nullable: true }) fileId!: string | null;
  @Column({ type: 'text' }) body!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;

  @ManyToOne(() => OutputRequestEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'output_comments_request_fk' })
  request?: OutputRequestEntity;
}
