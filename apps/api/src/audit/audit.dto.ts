import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

/** A cursor names where the page starts, so a page number beside it would be a second, conflicting answer. */
@ValidatorConstraint({ name: 'cursorWithoutPage' })
class CursorWithoutPage implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as PageQueryDto).page === 1;
  }
  defaultMessage(): string {
    return 'beforeSeq cannot be combined with a page other than 1';
  }
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      "Keyset cursor: events older than this seq (the previous page's nextBeforeSeq), newest first",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @Validate(CursorWithoutPage)
  beforeSeq?: number;

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

/** The listing's filters without its paging: the CSV export takes every match (up to its bound). */
export class AuditCsvQueryDto extends OmitType(AuditQueryDto, ['page', 'pageSize', 'beforeSeq'] as const) {}

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
  @ApiProperty({ description: 'Matching events, counted up to 1,000 (see totalIsLowerBound)' })
  total!: number;
  @ApiProperty({ description: 'True when more events match than total says (counting stops at 1,000)' })
  totalIsLowerBound!: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Pass as beforeSeq for the next page; null on the last',
  })
  nextBeforeSeq!: number | null;
}

export class TimelinePageDto {
  @ApiProperty({ type: [AuditEventDto] }) items!: AuditEventDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Matching events, counted up to 1,000 (see totalIsLowerBound)' })
  total!: number;
  @ApiProperty({ description: 'True when more events match than total says (counting stops at 1,000)' })
  totalIsLowerBound!: boolean;
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
