import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ProjectEntity } from './project.entity';

/** A reviewer stepping aside from a project; they cannot vote on it afterwards. */
@Entity({ name: 'dac_conflicts' })
@Index('dac_conflicts_key', ['projectId', 'reviewerId'], { unique: true })
export class ConflictDeclarationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'reviewer_id', type: 'uuid' }) reviewerId!: string;
  @Column({ type: 'text' }) reason!: string;
  @CreateDateColumn({ name: 'declared_at', type: 'timestamptz' }) declaredAt!: Date;

  /** Declared so schema diffs keep the foreign key; rows go with their project. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'dac_conflicts_project_fk' })
  project?: ProjectEntity;
}
