import type { MixedList } from 'typeorm';
import { Foundation1795276127068 } from './1795276127068-Foundation';
import { DatasetCatalogue1795278636163 } from './1795278636163-DatasetCatalogue';
import { Projects1795278743188 } from './1795278743188-Projects';
import { Extracts1795279619478 } from './1795279619478-Extracts';
import { OptOuts1795279858115 } from './1795279858115-OptOuts';
import { Workspaces1795284764153 } from './1795284764153-Workspaces';

/** Every migration, in order. Listed explicitly so the same list works from TypeScript, jest and dist/. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: MixedList<Function> = [
  Foundation1795276127068,
  DatasetCatalogue1795278636163,
  Projects1795278743188,
  Extracts1795279619478,
  OptOuts1795279858115,
  Workspaces1795284764153,
];
