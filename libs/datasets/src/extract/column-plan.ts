import type { DatasetView, FieldSpec } from '../catalogue/catalogue.types';
import { generalise, type Pseudonymiser, type ReleaseLevel } from '../safe-data';

/** One output column: where its value comes from and how it is released. */
export interface OutputColumn {
  readonly name: string;
  readonly source: string;
  readonly classification: FieldSpec['classification'];
  /** What the byte-level extractor may do without decoding (see release-bytes.ts); `transform` decides otherwise. */
  readonly fastRelease: FastRelease;
  readonly transform: (value: string | null) => string | null;
}

/** `copy`: the value as it is; a date level: an ISO date's part; `district`: a postcode's; `none`: always through `transform`. */
export type FastRelease = 'copy' | 'year' | 'month' | 'year_month' | 'decade' | 'district' | 'none';

export interface ColumnPlan {
  /** The person identifier column, read for linkage and never written out as is. */
  readonly personIdColumn: string;
  /** Columns selected from the source (approved fields that are released, plus the person id). */
  readonly sourceColumns: string[];
  /** Written after the leading `pseudonym` column. */
  readonly outputColumns: OutputColumn[];
  readonly quasiIdentifiers: string[];
}

/**
 * Decides, from the catalogue and the approval, what each extract column is: approved fields only, each in
 * its release form. The person identifier becomes the leading `pseudonym` column; other identifiers to be
 * pseudonymised get a pseudonym in their own domain; `drop` fields are never read.
 */
export function planColumns(
  dataset: DatasetView,
  approvedFields: readonly string[],
  pseudonymiser: Pseudonymiser,
  referenceDate: string,
): ColumnPlan {
  const personIdColumn = dataset.source.personIdColumn;
  const released = dataset.fields.filter(
    (field) =>
      approvedFields.includes(field.name) && field.name !== personIdColumn && field.releaseForm !== 'drop',
  );
  const outputColumns = released.map((field) => ({
    name: field.name,
    source: field.name,
    classification: field.classification,
    fastRelease: fastReleaseOf(field),
    transform: transformFor(field, pseudonymiser, referenceDate),
  }));
  return {
    personIdColumn,
    sourceColumns: [personIdColumn, ...released.map((field) => field.name)],
    outputColumns,
    quasiIdentifiers: released
      .filter((field) => field.classification === 'quasi_identifier')
      .map((field) => field.name),
  };
}

function fastReleaseOf(field: FieldSpec): FastRelease {
  if (field.releaseForm === 'keep') return 'copy';
  if (field.releaseForm !== 'generalise') return 'none';
  switch (field.generaliseLevel) {
    case 'year':
    case 'month':
    case 'year_month':
    case 'decade':
    case 'district':
      return field.generaliseLevel;
    default:
      return 'none';
  }
}

function transformFor(field: FieldSpec, pseudonymiser: Pseudonymiser, referenceDate: string) {
  switch (field.releaseForm) {
    case 'keep':
      return (value: string | null) => value;
    case 'pseudonymise':
      return (value: string | null) =>
        value === null || value.trim() === ''
          ? null
          : pseudonymiser.pseudonymise(field.name, value.trim().toUpperCase());
    case 'generalise': {
      const level = field.generaliseLevel as ReleaseLevel;
      return (value: string | null) => generalise(value, level, { referenceDate });
    }
    default:
      throw new Error(`field ${field.name} has release form ${field.releaseForm}, which is never written`);
  }
}
