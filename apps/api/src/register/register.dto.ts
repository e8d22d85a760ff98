import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { OPT_OUT_LISTS } from '@tre/datasets';
import { PROJECT_STATUSES, type ProjectStatus } from '@tre/projects';
import type { OptOutList } from '@tre/datasets';
import { IsCalendarDate } from '../common/validators';

/** A count of people as published: rounded to the nearest 10, and below 10 only "fewer than 10". */
export class PublicCountDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Rounded to the nearest 10; null below 10' })
  rounded!: number | null;
  @ApiProperty({ example: 'fewer than 10', description: 'The rounded number, or "fewer than 10"' })
  text!: string;
}

export class RegisterEntryDatasetDto {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() legalBasis!: string;
}

export class RegisterOptOutDto {
  @ApiProperty({ enum: OPT_OUT_LISTS }) list!: OptOutList;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Whether the list applies to any of the project’s data flows' })
  applied!: boolean;
  @ApiProperty({
    nullable: true,
    type: PublicCountDto,
    description: 'Null when not applied or not extracted yet',
  })
  peopleRemoved!: PublicCountDto | null;
}

export class RegisterReleaseDto {
  @ApiProperty() title!: string;
  @ApiProperty() releasedOn!: string;
  @ApiProperty() files!: number;
}

export class RegisterDeletionDto {
  @ApiProperty({ nullable: true, type: String }) extractsDeletedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) unreleasedOutputsDeletedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) releasedOutputsDeletedOn!: string | null;
  @ApiProperty({ description: 'A legal hold pauses deletion (its reason is not public)' }) paused!: boolean;
}

export class RegisterEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() laySummary!: string;
  @ApiProperty() organisation!: string;
  @ApiProperty({ enum: PROJECT_STATUSES }) status!: ProjectStatus;
  @ApiProperty({ type: [RegisterEntryDatasetDto] }) datasets!: RegisterEntryDatasetDto[];
  @ApiProperty({ nullable: true, type: String }) approvedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedOn!: string | null;
  @ApiProperty({ type: [RegisterOptOutDto] }) optOuts!: RegisterOptOutDto[];
  @ApiProperty() outputsReleased!: number;
  @ApiProperty({ type: [RegisterReleaseDto] }) releases!: RegisterReleaseDto[];
  @ApiProperty({ type: RegisterDeletionDto }) dataDeletion!: RegisterDeletionDto;
}

export class RegisterPageDto {
  @ApiProperty({ type: [RegisterEntryDto] }) items!: RegisterEntryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Matching projects, counted up to 1,000 (see totalIsLowerBound)' })
  total!: number;
  @ApiProperty({ description: 'True when more projects match than total says (counting stops at 1,000)' })
  totalIsLowerBound!: boolean;
}

/** The statement's period: whole days, both included; by default the year ending today. */
export class StatementQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day (YYYY-MM-DD)' })
  @IsOptional()
  @IsString()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day (YYYY-MM-DD), included' })
  @IsOptional()
  @IsString()
  @IsCalendarDate()
  to?: string;
}
