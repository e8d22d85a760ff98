/**
 * The vocabulary of the dataset catalogue. Kept as const arrays so the API validation, the database CHECK
 * constraints and the pure rules all read the same lists.
 */
export const FIELD_TYPES = ['string', 'integer', 'decimal', 'date', 'boolean', 'code'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_CLASSIFICATIONS = [
  'direct_identifier',
  'quasi_identifier',
  'sensitive',
  'attribute',
] as const;
export type FieldClassification = (typeof FIELD_CLASSIFICATIONS)[number];

export const RELEASE_FORMS = ['drop', 'pseudonymise', 'generalise', 'keep'] as const;
export type ReleaseForm = (typeof RELEASE_FORMS)[number];

export const GENERALISE_LEVELS = ['year', 'month', 'year_month', 'district', 'decade', 'age_band_5'] as const;
export type GeneraliseLevel = (typeof GENERALISE_LEVELS)[number];

/**
 * Where a dataset's records come from. Opt-outs depend on it: the GP (type 1) opt-out applies to data that
 * originates in general practice, whatever the legal basis says about the national one.
 */
export const DATASET_ORIGINS = ['gp', 'hospital', 'registry', 'other'] as const;
export type DatasetOrigin = (typeof DATASET_ORIGINS)[number];

/** Upper snake case, e.g. GP_REGISTRATIONS: stable, readable in approvals and the public register. */
export const DATASET_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
/** An unquoted lower-case SQL identifier: the extract pipeline splices these into queries as identifiers. */
export const SQL_IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const MAX_IDENTIFIER_LENGTH = 63;
export const MAX_CODE_LENGTH = 64;

/** How one field is described and may be released. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly classification: FieldClassification;
  readonly releaseForm: ReleaseForm;
  /** Required when releaseForm is `generalise`, absent (null) otherwise. */
  readonly generaliseLevel: GeneraliseLevel | null;
  readonly description: string;
}

/** Where a dataset's rows live in the source database, and which column identifies the person. */
export interface DatasetSource {
  readonly schema: string;
  readonly table: string;
  readonly personIdColumn: string;
}

/** A dataset as other libraries see it: a plain object, never an entity. */
export interface DatasetView {
  readonly id: string;
  readonly code: string;
  readonly title: string;
  readonly description: string;
  /** User id of the data custodian responsible for it. */
  readonly custodianId: string;
  readonly origin: DatasetOrigin;
  readonly source: DatasetSource;
  /** In the order the custodian declared them. */
  readonly fields: FieldSpec[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A field as callers send it: the level and description may be left out. */
export type FieldInput = Omit<FieldSpec, 'generaliseLevel' | 'description'> & {
  readonly generaliseLevel?: GeneraliseLevel | null;
  readonly description?: string;
};

export interface NewDataset {
  readonly code: string;
  readonly title: string;
  readonly description?: string;
  /** Defaults to `other`. */
  readonly origin?: DatasetOrigin;
  /** The schema defaults to `source`. */
  readonly source: Omit<DatasetSource, 'schema'> & { readonly schema?: string };
  readonly fields: readonly FieldInput[];
}

/** A partial change of the dataset's own attributes; fields change one at a time through putField. */
export interface DatasetPatch {
  readonly title?: string;
  readonly description?: string;
  readonly origin?: DatasetOrigin;
  readonly source?: Partial<DatasetSource>;
}

/** A field's description as a caller sends it, before its name (taken from the path) is attached. */
export type FieldChange = Omit<FieldInput, 'name'>;

export interface DatasetListQuery {
  readonly page: number;
  readonly pageSize: number;
  /** Case-insensitive substring of the code or the title. */
  readonly q?: string;
}

export interface DatasetPage {
  readonly items: DatasetView[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

/** Who is acting: a user id and their roles (an AuthenticatedUser fits). */
export interface CatalogueActor {
  readonly id: string;
  readonly roles: readonly string[];
}
