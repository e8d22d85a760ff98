import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { UserEntity } from '@tre/auth';
import { DatasetCatalogueService } from './catalogue/dataset-catalogue.service';
import { DatasetFieldEntity } from './catalogue/dataset-field.entity';
import { DatasetEntity } from './catalogue/dataset.entity';

/**
 * The dataset catalogue. UserEntity is registered here too because datasets reference their custodian, and
 * apps without the auth module (the worker) still need its metadata to load datasets.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DatasetEntity, DatasetFieldEntity, UserEntity]), AuditModule],
  providers: [DatasetCatalogueService],
  exports: [DatasetCatalogueService],
})
export class DatasetsModule {}
