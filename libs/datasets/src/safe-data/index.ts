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
