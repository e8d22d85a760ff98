import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REGISTER_STATUSES, type ProjectStatus } from '@tre/projects';
import { PageQueryDto } from '../common/page-query.dto';

/** What a visitor narrows the register by; the same filter selects what the downloads hold. */
export class RegisterFilterDto {
  @ApiPropertyOptional({
    description: 'Words to find in the title, lay summary or organisation',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: REGISTER_STATUSES })
  @IsOptional()
  @IsIn([...REGISTER_STATUSES])
  status?: ProjectStatus;

  @ApiPropertyOptional({ description: 'A dataset code: projects approved to use it', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'dataset must be a dataset code (letters, digits, _ . -)' })
  dataset?: string;
}

/** A page of the register, narrowed by the filter. */
export class RegisterPageQueryDto extends IntersectionType(PageQueryDto, RegisterFilterDto) {}
