import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { authSchemeToken } from '@tre/auth';
import { ExtractQueryModule } from '@tre/datasets';
import { ExtractDeliveryService } from './extract-delivery.service';
import { LoadGrantEntity } from './load-grant.entity';
import { LoadGrantsService } from './load-grants.service';
import { LOAD_TOKEN_SCHEME, LoadTokenAuthenticator } from './load-token-auth';
import { LOAD_TOKEN_ISSUER } from './load-token-issuer';

/**
 * Load grants and the extract delivery behind them. The worker's provisioner injects LOAD_TOKEN_ISSUER; the
 * API serves the loader's routes, authenticated through the load-token scheme provided here.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LoadGrantEntity]), AuditModule, ExtractQueryModule],
  providers: [
    LoadGrantsService,
    ExtractDeliveryService,
    LoadTokenAuthenticator,
    { provide: LOAD_TOKEN_ISSUER, useExisting: LoadGrantsService },
    { provide: authSchemeToken(LOAD_TOKEN_SCHEME), useExisting: LoadTokenAuthenticator },
  ],
  exports: [LoadGrantsService, ExtractDeliveryService, LOAD_TOKEN_ISSUER, authSchemeToken(LOAD_TOKEN_SCHEME)],
})
export class WorkspaceLoadingModule {}
