import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@tre/audit';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

/** Importing this module puts every route of the app behind the global AuthGuard. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), AuditModule],
  providers: [TokenVerifier, UsersService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, UsersService],
})
export class AuthModule {}
