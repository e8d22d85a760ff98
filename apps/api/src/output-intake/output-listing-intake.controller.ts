import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  CurrentListGrant,
  ListTokenAuth,
  MAX_LISTED_ENTRIES,
  OutputListingsService,
  type CollectGrantEntity,
} from '@tre/outputs';

export class ListedFileDto {
  @ApiProperty({ description: 'relative to the outputs folder, /-separated' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  path!: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  sizeBytes!: number;

  @ApiProperty({ description: 'ISO 8601' })
  @IsISO8601()
  modifiedAt!: string;

  @ApiPropertyOptional({
    nullable: true,
    description: 'the record beside it: <path>.record.json, listed too',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1100)
  recordPath!: string | null;
}

export class SkippedEntryDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  path!: string;

  @ApiProperty({ description: 'why it is left out (a link, not a regular file)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason!: string;
}

export class OutputListingReportDto {
  @ApiProperty({ type: [ListedFileDto] })
  @IsArray()
  @ArrayMaxSize(MAX_LISTED_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => ListedFileDto)
  files!: ListedFileDto[];

  @ApiProperty({ type: [SkippedEntryDto] })
  @IsArray()
  @ArrayMaxSize(MAX_LISTED_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => SkippedEntryDto)
  skipped!: SkippedEntryDto[];

  @ApiProperty()
  @IsBoolean()
  truncated!: boolean;
}

/**
 * The listing intake, called only by a workspace's collector in list mode with its one-time token (never a
 * person's). It takes names, sizes and times, never a file's bytes; the token is spent by the one report.
 */
@ApiTags('output-intake')
@ApiBearerAuth()
@ListTokenAuth()
@Controller('output-listing-intake/:listingId')
export class OutputListingIntakeController {
  constructor(private readonly listings: OutputListingsService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: 'how many files were taken; the token is spent' })
  report(
    @Param('listingId', ParseUUIDPipe) _listingId: string,
    @CurrentListGrant() grant: CollectGrantEntity,
    @Body() body: OutputListingReportDto,
  ): Promise<{ files: number }> {
    return this.listings.receive(grant, {
      files: body.files.map((f) => ({ ...f, recordPath: f.recordPath ?? null })),
      skipped: body.skipped,
      truncated: body.truncated,
    });
  }
}
