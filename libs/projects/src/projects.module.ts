import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { APP_CONFIG, type AppConfig } from '@tre/core';
import { DatasetsModule } from '@tre/datasets';
import { AccreditationEntity } from './accreditation/accreditation.entity';
import { AccreditationRegister } from './accreditation/accreditation-register';
import type { ReviewPolicy } from './domain/review-policy';
import { ConflictDeclarationEntity } from './entities/conflict-declaration.entity';
import { DacVoteEntity } from './entities/dac-vote.entity';
import { DatasetRequestEntity } from './entities/dataset-request.entity';
import { ProjectApprovalEntity } from './entities/project-approval.entity';
import { ProjectEntity } from './entities/project.entity';
import { ProjectMemberEntity } from './entities/project-member.entity';
import { ProjectVersionEntity } from './entities/project-version.entity';
import { ApplicationService } from './services/application.service';
import { ProjectLifecycle } from './services/project-lifecycle';
import { ProjectReader } from './services/project-reader';
import { BlindVoteSeal } from './services/project-visibility';
import { RegisterService } from './services/register.service';
import { REVIEW_POLICY, ReviewService } from './services/review.service';

export const PROJECT_ENTITIES = [
  ProjectEntity,
  ProjectMemberEntity,
  DatasetRequestEntity,
  ProjectVersionEntity,
  DacVoteEntity,
  ConflictDeclarationEntity,
  ProjectApprovalEntity,
  AccreditationEntity,
];

@Module({
  imports: [TypeOrmModule.forFeature(PROJECT_ENTITIES), AuditModule, DatasetsModule],
  providers: [
    ApplicationService,
    ProjectLifecycle,
    ProjectReader,
    ReviewService,
    RegisterService,
    BlindVoteSeal,
    AccreditationRegister,
    {
      provide: REVIEW_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ReviewPolicy => ({
        approvalsRequired: config.dacApprovalsRequired,
        quorum: config.dacQuorum,
      }),
    },
  ],
  exports: [
    AccreditationRegister,
    ApplicationService,
    ProjectLifecycle,
    ProjectReader,
    ReviewService,
    RegisterService,
  ],
})
export class ProjectsModule {}
