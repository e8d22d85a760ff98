import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'user.registered' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_-]+)+$/, { message: 'action must be a dotted verb such as project.submitted' })
  action?: string;

  @ApiPropertyOptional({ description: 'A user id, or system:<component>' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @ApiPropertyOptional({ example: 'user' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  subjectType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601 time, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditEventDto {
  @ApiProperty() seq!: number;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() action!: string;
  @ApiProperty() subjectType!: string;
  @ApiProperty({ nullable: true, type: String }) subjectId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class ChainHeadDto {
  @ApiProperty() seq!: number;
  @ApiProperty() hash!: string;
}

export class VerificationDto {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ description: 'Events verified (before the break, if any)' }) count!: number;
  @ApiProperty({ type: ChainHeadDto, nullable: true }) head!: ChainHeadDto | null;
  @ApiPropertyOptional({ description: 'First sequence number where the chain does not hold' })
  brokenAt?: number;
  @ApiPropertyOptional() reason?: string;
}
