import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { DatasetsModule } from '../datasets.module';
import { ExtractEntity } from './extract.entity';
import { ExtractQueryService } from './extract-query.service';
import { ExtractService } from './extract.service';
import { ExtractBuildSweeper } from './extract-build-sweeper';
import { MasterKeyProvider } from './master-key.provider';
import { OPT_OUT_SOURCE, type OptOutSource } from './opt-out-source';
import { optOutListsFor } from '../optouts/optout-policy';
import { OptOutService } from '../optouts/optout.service';
import type { OptOutList } from '../optouts/optout.types';
import type { DatasetOrigin } from '../catalogue/catalogue.types';

/** Reading extracts' status and manifests: what the API needs. */
@Module({
  imports: [TypeOrmModule.forFeature([ExtractEntity])],
  providers: [ExtractQueryService],
  exports: [ExtractQueryService],
})
export class ExtractQueryModule {}

/**
 * Building extracts: what the worker needs. Loads the master key at start-up, so a bad key stops the worker, and
 * sweeps what dead builds left (ExtractBuildSweeper).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ExtractEntity]), AuditModule, DatasetsModule, ExtractQueryModule],
  providers: [
    ExtractService,
    ExtractBuildSweeper,
    MasterKeyProvider,
    {
      provide: OPT_OUT_SOURCE,
      inject: [OptOutService],
      useFactory: (optOuts: OptOutService): OptOutSource => ({
        listsFor: (legalBasis, origin) => optOutListsFor(legalBasis, origin as DatasetOrigin),
        membership: (list) => optOuts.membership(list as OptOutList),
      }),
    },
  ],
  exports: [ExtractService, ExtractBuildSweeper, ExtractQueryModule],
})
export class ExtractBuildModule {}
