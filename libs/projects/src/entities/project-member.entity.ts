import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ProjectEntity } from './project.entity';

export type MemberRole = 'lead' | 'member';

/**
 * A person on a project, by identity-provider subject (they may not have signed in yet). Members never
 * review or check their own project.
 */
@Check('project_members_role_check', `"role" IN ('lead', 'member')`)
@Entity({ name: 'project_members' })
@Index('project_members_project_subject_key', ['projectId', 'subject'], { unique: true })
@Index('project_members_subject_idx', ['subject'])
export class ProjectMemberEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) role!: MemberRole;
  @Column({ name: 'accreditation_expires_on', type: 'date' }) accreditationExpiresOn!: string;

  /** Declared so schema diffs keep the foreign key; rows go with their project. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'project_members_project_fk' })
  project?: ProjectEntity;
}
