import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';
import { NestedObject } from '../common/validators';
import {
  DATASET_CODE_PATTERN,
  DATASET_ORIGINS,
  FIELD_CLASSIFICATIONS,
  FIELD_TYPES,
  GENERALISE_LEVELS,
  MAX_CODE_LENGTH,
  MAX_IDENTIFIER_LENGTH,
  RELEASE_FORMS,
  SQL_IDENTIFIER_PATTERN,
  type DatasetOrigin,
  type FieldClassification,
  type FieldType,
  type GeneraliseLevel,
  type ReleaseForm,
} from '@tre/datasets';

const IDENTIFIER = { message: '$property must be a lower-case SQL identifier such as nhs_number' };

/** How a field may be released, as sent when adding or changing it (the name comes from the path). */
export class FieldChangeDto {
  @ApiProperty({ enum: FIELD_TYPES })
  @IsIn(FIELD_TYPES)
  type!: FieldType;

  @ApiProperty({ enum: FIELD_CLASSIFICATIONS })
  @IsIn(FIELD_CLASSIFICATIONS)
  classification!: FieldClassification;

  @ApiProperty({ enum: RELEASE_FORMS, description: 'A direct identifier can never be released as keep' })
  @IsIn(RELEASE_FORMS)
  releaseForm!: ReleaseForm;

  @ApiPropertyOptional({
    enum: GENERALISE_LEVELS,
    nullable: true,
    description: 'Required when releaseForm is generalise, forbidden otherwise',
  })
  @IsOptional()
  @IsIn(GENERALISE_LEVELS)
  generaliseLevel?: GeneraliseLevel | null;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class FieldDto extends FieldChangeDto {
  @ApiProperty({ example: 'nhs_number', maxLength: MAX_IDENTIFIER_LENGTH })
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  name!: string;
}

export class SourcePatchDto {
  @ApiPropertyOptional({ example: 'source', maxLength: MAX_IDENTIFIER_LENGTH })
  @IsOptional()
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  schema?: string;

  @ApiPropertyOptional({ example: 'gp_registrations', maxLength: MAX_IDENTIFIER_LENGTH })
  @IsOptional()
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  table?: string;

  @ApiPropertyOptional({
    example: 'nhs_number',
    description: 'A field classified direct_identifier with release form pseudonymise',
  })
  @IsOptional()
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  personIdColumn?: string;
}

export class SourceDto {
  @ApiPropertyOptional({ example: 'source', default: 'source', maxLength: MAX_IDENTIFIER_LENGTH })
  @IsOptional()
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  schema?: string;

  @ApiProperty({ example: 'gp_registrations', maxLength: MAX_IDENTIFIER_LENGTH })
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  table!: string;

  @ApiProperty({
    example: 'nhs_number',
    description: 'A field classified direct_identifier with release form pseudonymise',
  })
  @Matches(SQL_IDENTIFIER_PATTERN, IDENTIFIER)
  @MaxLength(MAX_IDENTIFIER_LENGTH)
  personIdColumn!: string;
}

export class RegisterDatasetDto {
  @ApiProperty({ example: 'GP_REGISTRATIONS', maxLength: MAX_CODE_LENGTH })
  @Matches(DATASET_CODE_PATTERN, { message: 'code must be upper snake case such as GP_REGISTRATIONS' })
  @MaxLength(MAX_CODE_LENGTH)
  code!: string;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({
    enum: DATASET_ORIGINS,
    default: 'other',
    description: 'Where the records come from; the GP (type 1) opt-out applies to origin gp',
  })
  @IsOptional()
  @IsIn(DATASET_ORIGINS)
  origin?: DatasetOrigin;

  @ApiProperty({ type: SourceDto })
  @NestedObject(() => SourceDto)
  source!: SourceDto;

  @ApiProperty({ type: [FieldDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => FieldDto)
  fields!: FieldDto[];
}

export class UpdateDatasetDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({
    enum: DATASET_ORIGINS,
    description: 'Where the records come from; the GP (type 1) opt-out applies to origin gp',
  })
  @IsOptional()
  @IsIn(DATASET_ORIGINS)
  origin?: DatasetOrigin;

  @ApiPropertyOptional({ type: SourcePatchDto })
  @IsOptional()
  @NestedObject(() => SourcePatchDto)
  source?: SourcePatchDto;
}

export class DatasetListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the code or the title, any case' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class DatasetFieldDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: FIELD_TYPES }) type!: FieldType;
  @ApiProperty({ enum: FIELD_CLASSIFICATIONS }) classification!: FieldClassification;
  @ApiProperty({ enum: RELEASE_FORMS }) releaseForm!: ReleaseForm;
  @ApiProperty({ enum: GENERALISE_LEVELS, nullable: true }) generaliseLevel!: GeneraliseLevel | null;
  @ApiProperty() description!: string;
}

export class DatasetSourceDto {
  @ApiProperty() schema!: string;
  @ApiProperty() table!: string;
  @ApiProperty() personIdColumn!: string;
}

export class DatasetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'uuid', description: 'User id of the responsible data custodian' })
  custodianId!: string;
  @ApiProperty({ enum: DATASET_ORIGINS }) origin!: DatasetOrigin;
  @ApiProperty({ type: DatasetSourceDto }) source!: DatasetSourceDto;
  @ApiProperty({ type: [DatasetFieldDto] }) fields!: DatasetFieldDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class DatasetPageDto {
  @ApiProperty({ type: [DatasetDto] }) items!: DatasetDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
