import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditQueryService, AuditVerifierService } from '@tre/audit';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { AuditPageDto, AuditQueryDto, VerificationDto } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly queries: AuditQueryService,
    private readonly verifier: AuditVerifierService,
  ) {}

  @Roles('admin')
  @Get()
  @ApiOkResponse({ type: AuditPageDto })
  /** The trail as this admin may see it: events a rule keeps sealed for now (blind votes) are withheld. */
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.queries.list({ ...query, from: toDate(query.from), to: toDate(query.to) }, user);
  }

  @Roles('admin')
  @Get('verify')
  @ApiOkResponse({ type: VerificationDto })
  verify(): Promise<VerificationDto> {
    return this.verifier.verify();
  }
}

const toDate = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);
