import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { FieldClassification, FieldType, GeneraliseLevel, ReleaseForm } from './catalogue.types';
import { DatasetEntity } from './dataset.entity';

/**
 * One field of a dataset and how it may be released. The CHECKs are the database's backstop for the rules
 * the API enforces with clearer messages; the worst mistake, keeping a direct identifier, cannot be stored.
 */
@Entity({ name: 'dataset_fields' })
@Index('dataset_fields_dataset_name_key', ['datasetId', 'name'], { unique: true })
@Check('dataset_fields_name_check', `"name" ~ '^[a-z_][a-z0-9_]*$' AND length("name") <= 63`)
@Check('dataset_fields_type_check', `"type" IN ('string', 'integer', 'decimal', 'date', 'boolean', 'code')`)
@Check(
  'dataset_fields_classification_check',
  `"classification" IN ('direct_identifier', 'quasi_identifier', 'sensitive', 'attribute')`,
)
@Check(
  'dataset_fields_release_form_check',
  `"release_form" IN ('drop', 'pseudonymise', 'generalise', 'keep')`,
)
@Check(
  'dataset_fields_generalise_level_check',
  `("release_form" = 'generalise' AND "generalise_level" IN ` +
    `('year', 'month', 'year_month', 'district', 'decade', 'age_band_5')) ` +
    `OR ("release_form" <> 'generalise' AND "generalise_level" IS NULL)`,
)
@Check(
  'dataset_fields_direct_identifier_not_kept_check',
  `NOT ("classification" = 'direct_identifier' AND "release_form" = 'keep')`,
)
export class DatasetFieldEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId!: string;

  @ManyToOne(() => DatasetEntity, (dataset) => dataset.fields, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'dataset_id', foreignKeyConstraintName: 'dataset_fields_dataset_id_fkey' })
  dataset?: Relation<DatasetEntity>;

  /** Declaration order, so extracts and screens list fields as the custodian wrote them. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: FieldType;

  @Column({ type: 'text' })
  classification!: FieldClassification;

  @Column({ name: 'release_form', type: 'text' })
  releaseForm!: ReleaseForm;

  @Column({ name: 'generalise_level', type: 'text', nullable: true })
  generaliseLevel!: GeneraliseLevel | null;

  @Column({ type: 'text', default: '' })
  description!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
