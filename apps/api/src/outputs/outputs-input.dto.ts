import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  OUTPUT_STATUSES,
  OUTPUT_VOTES,
  type OutputScope,
  type OutputStatus,
  type OutputVote,
} from '@tre/outputs';
import { PageQueryDto } from '../common/page-query.dto';

export class CreateOutputRequestDto {
  @ApiProperty() @IsUUID() projectId!: string;
  @ApiProperty({ description: 'What the outputs are, for the checkers' })
  @IsString()
  @Length(3, 300)
  title!: string;
}

export class FileVoteDto {
  @ApiProperty() @IsUUID() fileId!: string;
  @ApiProperty({ enum: OUTPUT_VOTES }) @IsIn(OUTPUT_VOTES) vote!: OutputVote;
  @ApiPropertyOptional({ description: 'Required unless approving a file that passed every check' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class OutputReviewDto {
  @ApiProperty({ type: [FileVoteDto], description: 'A vote on every file of the request' })
  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => FileVoteDto)
  votes!: FileVoteDto[];
}

export class OutputListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['mine', 'awaiting_review', 'all'], default: 'mine' })
  @IsOptional()
  @IsIn(['mine', 'awaiting_review', 'all'])
  scope: OutputScope = 'mine';

  @ApiPropertyOptional({ enum: OUTPUT_STATUSES }) @IsOptional() @IsIn(OUTPUT_STATUSES) status?: OutputStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() projectId?: string;
}

export class OutputCommentInputDto {
  @ApiProperty({ description: 'Private among the checkers until the round is decided' })
  @IsString()
  @Length(1, 4000)
  body!: string;
  @ApiPropertyOptional({ description: 'The file it is about; leave out for the request' })
  @IsOptional()
  @IsUUID()
  fileId?: string;
}

export class WithdrawOutputDto {
  @ApiProperty() @IsString() @Length(3, 2000) reason!: string;
}
