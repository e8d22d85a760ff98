import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DENIAL_REASONS, type DenialReason } from '@tre/workspaces';

export class SessionTicketDto {
  @ApiProperty() sessionId!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty({ description: 'One-time ticket: spend it at the gateway within its lifetime, once' })
  ticket!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: "The gateway's address of the workspace" }) gatewayUrl!: string;
  @ApiProperty({ description: 'Open in a browser: redeems the ticket and lands on the tool' })
  openUrl!: string;
}

export class SessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty({ description: 'The person, by user id' }) userId!: string;
  @ApiProperty({ description: "The person's identity-provider subject (as on the people page)" })
  subject!: string;
  @ApiProperty({ enum: ['ticket', 'live', 'ended'] }) state!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastActivityAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason!: string | null;
  @ApiProperty({ description: 'Bytes from the person to the tool' }) bytesIn!: number;
  @ApiProperty({ description: 'Bytes from the tool to the person' }) bytesOut!: number;
}

export class SessionListQuery {
  @ApiPropertyOptional({ description: 'Only sessions not ended' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : (value as unknown)))
  @IsBoolean()
  live?: boolean;
}

// --- what the gateway sends ------------------------------------------------------------------------------

export class RedeemDto {
  @ApiProperty() @IsString() @MaxLength(100) ticket!: string;
  @ApiProperty() @IsString() @MaxLength(100) workspaceId!: string;
}

export class AuthoriseDto {
  @ApiProperty() @IsString() @MaxLength(100) token!: string;
  @ApiProperty() @IsString() @MaxLength(100) workspaceId!: string;
  @ApiProperty() @IsString() @MaxLength(2000) path!: string;
}

export class RecheckDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  sessionIds!: string[];
}

export class ActivityReportDto {
  @ApiProperty() @IsUUID() sessionId!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) bytesIn!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) bytesOut!: number;
  @ApiProperty() @IsISO8601() lastActivityAt!: string;
}

export class ActivityDto {
  @ApiProperty({ type: [ActivityReportDto] })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ActivityReportDto)
  reports!: ActivityReportDto[];
}

export class CloseSessionDto {
  @ApiProperty({ enum: ['closed', 'idle'] }) @IsIn(['closed', 'idle']) reason!: 'closed' | 'idle';
}

export class RefusalDto {
  @ApiProperty({ enum: DENIAL_REASONS }) @IsIn(DENIAL_REASONS) reason!: DenialReason;
  @ApiProperty() @IsString() @MaxLength(100) workspaceId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() sessionId?: string;
  @ApiProperty() @IsString() @MaxLength(2000) path!: string;
}

export class GatewayDecisionDto {
  @ApiProperty() allow!: boolean;
  @ApiPropertyOptional({ enum: DENIAL_REASONS }) reason?: string;
  @ApiPropertyOptional({ description: 'The session and where its traffic goes' }) session?: object;
  @ApiPropertyOptional({ description: 'On redemption: the session token for the cookie (once)' })
  token?: string;
}
