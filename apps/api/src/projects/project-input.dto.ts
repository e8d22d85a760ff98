import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { LEGAL_BASES, type LegalBasis } from '@tre/projects';
import { IsCalendarDate, NestedObject } from '../common/validators';

const DATE_MESSAGE = (field: string) => ({
  message: `${field} must be a date written YYYY-MM-DD that exists`,
});

export class MemberDto {
  @ApiProperty({ description: 'Subject of the member at the identity provider' })
  @IsString()
  @Length(1, 200)
  subject!: string;

  @ApiProperty({ example: '2027-03-31' })
  @IsCalendarDate(DATE_MESSAGE('accreditationExpiresOn'))
  accreditationExpiresOn!: string;
}

export class DatasetRequestDto {
  @ApiProperty({ example: 'GP_REGISTRATIONS' })
  @IsString()
  @Length(1, 64)
  datasetCode!: string;

  @ApiProperty({ type: [String], example: ['nhs_number', 'date_of_birth', 'sex'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 63, { each: true })
  fields!: string[];

  @ApiProperty({ enum: LEGAL_BASES })
  @IsIn(LEGAL_BASES)
  legalBasis!: LegalBasis;
}

/**
 * The workspace asked for. The shape is checked here; whether the size and tool are offered by this
 * deployment (its tool allow-list) is checked by the service, also as a 400.
 */
export class WorkspaceChoiceDto {
  @ApiPropertyOptional({ example: 'small', description: 'small, medium or large; the default when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  size?: string;

  @ApiPropertyOptional({
    example: 'jupyterlab',
    description: 'A tool of the allow-list; the default when absent',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tool?: string;
}

export class CreateProjectDto {
  @ApiProperty() @IsString() @Length(3, 200) title!: string;
  @ApiProperty({ description: 'Plain-language summary; published in the register' })
  @IsString()
  @Length(20, 2000)
  laySummary!: string;
  @ApiProperty() @IsString() @Length(20, 10000) scientificPurpose!: string;
  @ApiProperty() @IsString() @Length(20, 5000) publicBenefit!: string;
  @ApiProperty() @IsString() @Length(2, 200) organisation!: string;

  @ApiProperty({ example: '2027-12-31' })
  @IsCalendarDate(DATE_MESSAGE('requestedEndDate'))
  requestedEndDate!: string;

  @ApiProperty({ example: '2027-06-30', description: "The lead's own accreditation expiry" })
  @IsCalendarDate(DATE_MESSAGE('accreditationExpiresOn'))
  accreditationExpiresOn!: string;

  @ApiProperty({ type: [MemberDto], description: 'Members besides the lead (who is the creator)' })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members!: MemberDto[];

  @ApiProperty({ type: [DatasetRequestDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DatasetRequestDto)
  datasets!: DatasetRequestDto[];

  @ApiPropertyOptional({ type: WorkspaceChoiceDto })
  @IsOptional()
  @NestedObject(() => WorkspaceChoiceDto)
  workspace?: WorkspaceChoiceDto;
}

/** Every field may be left out, but none may be null: a draft's fields are cleared by replacing them. */
export class UpdateProjectDto extends PartialType(CreateProjectDto, { skipNullProperties: false }) {}

export class FieldNarrowingDto {
  @ApiProperty() @IsString() @Length(1, 64) datasetCode!: string;
  @ApiProperty({ type: [String] }) @IsArray() @IsString({ each: true }) fields!: string[];
}

export class VoteDto {
  @ApiProperty({ enum: ['approve', 'reject', 'request_changes'] })
  @IsIn(['approve', 'reject', 'request_changes'])
  decision!: 'approve' | 'reject' | 'request_changes';

  @ApiProperty({ description: 'Why; shown to the applicants once the decision is made' })
  @IsString()
  @Length(1, 4000)
  comment!: string;

  @ApiPropertyOptional({ type: [String], description: 'Conditions of an approval' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  conditions?: string[];

  @ApiPropertyOptional({
    type: [FieldNarrowingDto],
    description: 'Approve fewer fields than asked, per dataset',
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => FieldNarrowingDto)
  fields?: FieldNarrowingDto[];

  @ApiPropertyOptional({ example: '2027-06-30', description: 'Approve an earlier end date than asked' })
  @IsOptional()
  @IsCalendarDate(DATE_MESSAGE('endDate'))
  endDate?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(3, 2000) reason!: string;
}
