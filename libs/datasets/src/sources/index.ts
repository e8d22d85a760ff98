/** Identifiable source data: the seeded synthetic generator and the catalogue entries describing it. */
export {
  type PopulationOptions,
  DEFAULT_SEED,
  POPULATION_RATES,
  type SeedEpisode,
  type SeedDeath,
  type SeedPerson,
  TestNhsNumberAllocator,
  generatePopulation,
  samplePopulation,
} from './synthetic-population';
export { SOURCE_TABLES, type SourceTable, DEFAULT_SOURCE_SCHEMA, validNhsNumberSql } from './source-tables';
export {
  type SeedSourcesOptions,
  type SeedReport,
  SourcesNotEmptyError,
  seedSources,
  type SourceTableCounts,
  seededCounts,
} from './seed-sources';
export { seedDatasets, SEED_DATASETS } from './seed-datasets';
