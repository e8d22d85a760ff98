/**
 * Safe-data building blocks of the extract pipeline: NHS number checks, project-keyed pseudonyms, release forms,
 * the residual-identifier scanner and k-anonymity counting. Pure functions only (no Nest, database or files), so
 * the worker, the CLI and the benchmarks share one implementation.
 */
export { type Rng, createRng, randomInt, pickOne } from './rng';
export {
  NHS_TEST_RANGE_PREFIX,
  nhsNumberCheckDigit,
  isValidNhsNumber,
  normaliseNhsNumber,
  formatNhsNumber,
  makeTestNhsNumber,
} from './nhs-number';
export {
  PROJECT_KEY_SALT,
  PROJECT_KEY_INFO_PREFIX,
  PROJECT_KEY_BYTES,
  MIN_MASTER_KEY_BYTES,
  projectKeyInfo,
  deriveProjectKey,
} from './project-key';
export { NhsNumberSet } from './nhs-number-set';
export { NHS_NUMBER_DOMAIN, pseudonymise, Pseudonymiser } from './pseudonymiser';
export { type CalendarDate, parseIsoDate, isLeapYear, completedYearsBetween } from './iso-date';
export { normaliseUkPostcode, postcodeDistrict, postcodeDistrictBytes } from './uk-postcode';
export {
  RELEASE_LEVELS,
  type ReleaseLevel,
  type GeneraliseOptions,
  AGE_TOP_CODE,
  generalise,
} from './generalise';
export { IDENTIFIER_KINDS, type IdentifierKind, scanValue, couldHoldIdentifier } from './identifier-patterns';
export {
  type ScannedRow,
  type ResidualScanOptions,
  type ResidualFinding,
  type ResidualScanReport,
  ResidualIdentifierScanner,
} from './residual-scanner';
export {
  type QuasiIdentifierRow,
  DEFAULT_K,
  type SmallGroup,
  type KAnonymityReport,
  type KAnonymityReportOptions,
  KAnonymityCounter,
} from './k-anonymity';
export { type PeopleKAnonymityReport, PersonGroups, tupleKey } from './person-groups';
