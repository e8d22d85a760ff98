import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { AuditService } from './audit.service';
import { AuditQueryService } from './audit-query.service';
import { AuditVerifierService } from './audit-verifier.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [AuditService, AuditQueryService, AuditVerifierService],
  exports: [AuditService, AuditQueryService, AuditVerifierService],
})
export class AuditModule {}
