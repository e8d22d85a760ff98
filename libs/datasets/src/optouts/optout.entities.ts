import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { OptOutList } from './optout.types';

/**
 * Opt-outs live in their own schema, apart from the source data and from anything an extract copies. One row
 * per loaded version of a list; the highest version of a list is the one in force. The CHECKs are declared so
 * generated migrations keep them.
 */
@Entity({ schema: 'optouts', name: 'list_versions' })
@Check('optout_list_versions_list_check', `"list" IN ('national', 'type1')`)
@Check('optout_list_versions_counts_check', `"version" > 0 AND "count" >= 0`)
export class OptOutListVersionEntity {
  @PrimaryColumn({ type: 'text' })
  list!: OptOutList;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ name: 'loaded_at', type: 'timestamptz' })
  loadedAt!: Date;

  /** A user id, or `system:cli` for a load from the command line. */
  @Column({ name: 'loaded_by', type: 'text' })
  loadedBy!: string;

  /** When a later version replaced it; its numbers are deleted then, the row stays as history. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;
}

/** The numbers of a version: normalised ten-digit NHS numbers, nothing else about the person. */
@Entity({ schema: 'optouts', name: 'entries' })
@Check('optout_entries_nhs_number_check', `"nhs_number" ~ '^[0-9]{10}$'`)
export class OptOutEntryEntity {
  @PrimaryColumn({ type: 'text' })
  list!: OptOutList;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @PrimaryColumn({ name: 'nhs_number', type: 'text' })
  nhsNumber!: string;

  @ManyToOne(() => OptOutListVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'list', referencedColumnName: 'list', foreignKeyConstraintName: 'optout_entries_version_fkey' },
    { name: 'version', referencedColumnName: 'version' },
  ])
  listVersion?: Relation<OptOutListVersionEntity>;
}

export const OPT_OUT_ENTITIES = [OptOutListVersionEntity, OptOutEntryEntity];
