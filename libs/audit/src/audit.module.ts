import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { AuditService } from './audit.service';
import { AuditQueryService } from './audit-query.service';
import { AuditVerifierService } from './audit-verifier.service';
import { TransparencyHeadsService } from './transparency/transparency-heads.service';
import { TransparencyTreeService } from './transparency/transparency-tree.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [
    AuditService,
    AuditQueryService,
    AuditVerifierService,
    TransparencyTreeService,
    TransparencyHeadsService,
  ],
  exports: [
    AuditService,
    AuditQueryService,
    AuditVerifierService,
    TransparencyTreeService,
    TransparencyHeadsService,
  ],
})
export class AuditModule {}
