import { Module } from '@nestjs/common';
import { AuditModule } from '@tre/audit';
import { DatasetsModule } from '@tre/datasets';
import { PublicRegisterService } from './register/public-register.service';
import { LegalHoldService } from './retention/legal-hold.service';
import { RetentionService } from './retention/retention.service';
import { StatementService } from './statement/statement.service';

/**
 * Public trust: the register, the transparency statement and the patients' opt-out figures (read by anyone),
 * retention that deletes data when its time is up, and the legal hold that pauses it. Reads and deletes across
 * the projects', extracts' and outputs' tables by SQL, owning none of them.
 */
@Module({
  imports: [AuditModule, DatasetsModule],
  providers: [PublicRegisterService, StatementService, RetentionService, LegalHoldService],
  exports: [PublicRegisterService, StatementService, RetentionService, LegalHoldService],
})
export class TrustModule {}
