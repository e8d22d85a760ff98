import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { UserEntity } from '@tre/auth';
import { DatasetCatalogueService } from './catalogue/dataset-catalogue.service';
import { DatasetFieldEntity } from './catalogue/dataset-field.entity';
import { DatasetEntity } from './catalogue/dataset.entity';
import { OPT_OUT_ENTITIES } from './optouts/optout.entities';
import { OptOutService } from './optouts/optout.service';

/**
 * The dataset catalogue and the opt-out lists. UserEntity is registered here too because datasets reference
 * their custodian, and apps without the auth module (the worker) still need its metadata to load datasets.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DatasetEntity, DatasetFieldEntity, UserEntity, ...OPT_OUT_ENTITIES]),
    AuditModule,
  ],
  providers: [DatasetCatalogueService, OptOutService],
  exports: [DatasetCatalogueService, OptOutService],
})
export class DatasetsModule {}
