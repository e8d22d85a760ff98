import type { MixedList } from 'typeorm';
import { Foundation1795276127068 } from './1795276127068-Foundation';
import { DatasetCatalogue1795278636163 } from './1795278636163-DatasetCatalogue';
import { Projects1795278743188 } from './1795278743188-Projects';
import { Extracts1795279619478 } from './1795279619478-Extracts';
import { OptOuts1795279858115 } from './1795279858115-OptOuts';
import { Outputs1795284641540 } from './1795284641540-Outputs';
import { Workspaces1795284764153 } from './1795284764153-Workspaces';
import { WorkspaceLoadGrants1795284886948 } from './1795284886948-WorkspaceLoadGrants';
import { OutputCollectGrants1795290000000 } from './1795290000000-OutputCollectGrants';
import { WorkspaceSessions1795290000001 } from './1795290000001-WorkspaceSessions';
import { SourceReader1795290000002 } from './1795290000002-SourceReader';
import { TransparencyLog1795290000003 } from './1795290000003-TransparencyLog';
import { Retention1795290000030 } from './1795290000030-Retention';
import { ReadPathIndexes1795290000040 } from './1795290000040-ReadPathIndexes';
import { OutputComments1795290000050 } from './1795290000050-OutputComments';
import { OutputCollections1795290000060 } from './1795290000060-OutputCollections';
import { Accreditations1795290000070 } from './1795290000070-Accreditations';
import { Notifications1795290000080 } from './1795290000080-Notifications';
import { OutputListings1795290000090 } from './1795290000090-OutputListings';
import { NotificationDeliveries1795290000092 } from './1795290000092-NotificationDeliveries';
import { NotificationReasons1795290000093 } from './1795290000093-NotificationReasons';
import { ListingIndexes1795290000100 } from './1795290000100-ListingIndexes';
import { ChangeFeed1795290000110 } from './1795290000110-ChangeFeed';
import { RunClaims1795290000130 } from './1795290000130-RunClaims';

/** Every migration, in order. Listed explicitly so the same list works from TypeScript, jest and dist/. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: MixedList<Function> = [
  Foundation1795276127068,
  DatasetCatalogue1795278636163,
  Projects1795278743188,
  Extracts1795279619478,
  OptOuts1795279858115,
  Outputs1795284641540,
  Workspaces1795284764153,
  WorkspaceLoadGrants1795284886948,
  OutputCollectGrants1795290000000,
  WorkspaceSessions1795290000001,
  SourceReader1795290000002,
  TransparencyLog1795290000003,
  Retention1795290000030,
  ReadPathIndexes1795290000040,
  OutputComments1795290000050,
  OutputCollections1795290000060,
  Accreditations1795290000070,
  Notifications1795290000080,
  OutputListings1795290000090,
  NotificationDeliveries1795290000092,
  NotificationReasons1795290000093,
  ListingIndexes1795290000100,
  ChangeFeed1795290000110,
  RunClaims1795290000130,
];
