import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Past a million pages a listing is empty anyway; the bound keeps absurd numbers from reaching SQL. */
export const MAX_PAGE = 1_000_000;

/** `page` and `pageSize` of every paged listing. */
export class PageQueryDto {
  // Bounded so that the row offset (page x pageSize) stays far inside what Postgres accepts.
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize = 50;
}
