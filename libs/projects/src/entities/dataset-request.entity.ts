import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DatasetEntity } from '@tre/datasets';
import { ProjectEntity } from './project.entity';

export const LEGAL_BASES = [
  'consent',
  's251',
  's251_cag_exempt',
  'public_health_reg3',
  'legal_requirement',
  'anonymised',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** One dataset an application asks for: which fields, and the legal basis of that flow. */
@Check(
  'project_dataset_requests_legal_basis_check',
  `"legal_basis" IN ('consent', 's251', 's251_cag_exempt', 'public_health_reg3', 'legal_requirement', 'anonymised')`,
)
@Entity({ name: 'project_dataset_requests' })
@Index('project_dataset_requests_key', ['projectId', 'datasetId'], { unique: true })
export class DatasetRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'dataset_id', type: 'uuid' }) datasetId!: string;
  @Column({ name: 'dataset_code', type: 'text' }) datasetCode!: string;
  @Column({ type: 'text', array: true }) fields!: string[];
  @Column({ name: 'legal_basis', type: 'text' }) legalBasis!: LegalBasis;

  /** Declared so schema diffs keep the foreign key; rows go with their project. */
  @ManyToOne(() => ProjectEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'project_dataset_requests_project_fk' })
  project?: ProjectEntity;

  @ManyToOne(() => DatasetEntity)
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'project_dataset_requests_dataset_fk' })
  dataset?: DatasetEntity;
}
