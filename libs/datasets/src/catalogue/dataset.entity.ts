import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from '@tre/auth';
import type { DatasetOrigin } from './catalogue.types';
import { DatasetFieldEntity } from './dataset-field.entity';

/**
 * A dataset in the catalogue. The CHECKs are declared here (not only in the migration) because TypeORM
 * drops constraints it does not find in the entities the next time a migration is generated.
 */
@Entity({ name: 'datasets' })
@Check('datasets_code_check', `"code" ~ '^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$' AND length("code") <= 64`)
@Check(
  'datasets_source_check',
  `"source_schema" ~ '^[a-z_][a-z0-9_]*$' AND length("source_schema") <= 63 ` +
    `AND "source_table" ~ '^[a-z_][a-z0-9_]*$' AND length("source_table") <= 63 ` +
    `AND "person_id_column" ~ '^[a-z_][a-z0-9_]*$' AND length("person_id_column") <= 63`,
)
@Check('datasets_origin_check', `"origin" IN ('gp', 'hospital', 'registry', 'other')`)
export class DatasetEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('datasets_code_key', { unique: true })
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'custodian_id', type: 'uuid' })
  custodianId!: string;

  /** Only for the foreign key: a custodian is always a user the service knows. */
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'custodian_id', foreignKeyConstraintName: 'datasets_custodian_id_fkey' })
  custodian?: Relation<UserEntity>;

  /** See DATASET_ORIGINS: decides whether the GP (type 1) opt-out applies. */
  @Column({ type: 'text', default: 'other' })
  origin!: DatasetOrigin;

  @Column({ name: 'source_schema', type: 'text', default: 'source' })
  sourceSchema!: string;

  @Column({ name: 'source_table', type: 'text' })
  sourceTable!: string;

  @Column({ name: 'person_id_column', type: 'text' })
  personIdColumn!: string;

  @OneToMany(() => DatasetFieldEntity, (field) => field.dataset)
  fields?: Relation<DatasetFieldEntity>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
