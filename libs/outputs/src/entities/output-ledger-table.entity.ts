import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { TableRecord } from '@tre/sdc';
import { OutputReleaseEntity } from './output-release.entity';

/**
 * A table that left the project, kept for ever so later outputs can be differenced against it. Looked up by
 * project and variables (tables on other variables cannot be subtracted cell by cell).
 */
@Entity({ name: 'output_ledger_tables' })
@Index('output_ledger_tables_lookup_idx', ['projectId', 'variablesKey'])
export class OutputLedgerTableEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'project_id', type: 'uuid' }) projectId!: string;
  @Column({ name: 'release_id', type: 'uuid' }) releaseId!: string;
  /** The table's identity: its record's id, or the file it was released in. */
  @Column({ name: 'table_key', type: 'text' }) tableKey!: string;
  @Column({ name: 'variables_key', type: 'text' }) variablesKey!: string;
  /** The record as released: published values (suppressed cells null) and the cells' record counts. */
  @Column({ type: 'jsonb' }) record!: TableRecord;
  @CreateDateColumn({ name: 'released_at', type: 'timestamptz' }) releasedAt!: Date;

  @ManyToOne(() => OutputReleaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'release_id', foreignKeyConstraintName: 'output_ledger_tables_release_fk' })
  release?: OutputReleaseEntity;
}
