import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadConfig } from '@tre/core';
import { ALL_ENTITIES } from './entities';

/** Used by the TypeORM CLI to generate migrations by diffing the entities against a migrated database. */
export default new DataSource(dataSourceOptions(loadConfig().databaseUrl, { entities: ALL_ENTITIES }));
