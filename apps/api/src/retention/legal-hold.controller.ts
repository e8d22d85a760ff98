import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@tre/auth';
import { LegalHoldService, RETENTION_ACTIONS, type RetentionKind } from '@tre/trust';
import { ReasonDto } from '../projects/project-input.dto';

class LegalHoldDto {
  @ApiProperty() reason!: string;
  @ApiProperty() placedAt!: string;
  @ApiProperty() placedBy!: string;
}

class RetentionKindDto {
  @ApiProperty({ enum: Object.keys(RETENTION_ACTIONS) }) kind!: RetentionKind;
  @ApiProperty() retentionDays!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Null while the project has not ended' })
  dueOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) deletedAt!: string | null;
}

export class RetentionStatusDto {
  @ApiProperty() projectId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: LegalHoldDto }) legalHold!: LegalHoldDto | null;
  @ApiProperty({ type: [RetentionKindDto] }) kinds!: RetentionKindDto[];
}

/** Retention of a project's data, and the legal hold that pauses it: admins only, every change audited. */
@ApiTags('retention')
@ApiBearerAuth()
@Controller('projects/:id')
export class LegalHoldController {
  constructor(private readonly holds: LegalHoldService) {}

  @Roles('admin')
  @Get('retention')
  @ApiOkResponse({ type: RetentionStatusDto })
  status(@Param('id', ParseUUIDPipe) id: string): Promise<RetentionStatusDto> {
    return this.holds.status(id);
  }

  @Roles('admin')
  @Post('legal-hold')
  @HttpCode(200)
  @ApiOkResponse({ type: RetentionStatusDto })
  place(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<RetentionStatusDto> {
    return this.holds.place(user, id, body.reason);
  }

  @Roles('admin')
  @Post('legal-hold/lift')
  @HttpCode(200)
  @ApiOkResponse({ type: RetentionStatusDto })
  lift(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<RetentionStatusDto> {
    return this.holds.lift(user, id, body.reason);
  }
}
