import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PROJECT_STATUSES, type ProjectScope, type ProjectStatus } from '@tre/projects';
import { PageQueryDto } from '../common/page-query.dto';

export class ProjectListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['mine', 'awaiting_review', 'all'], default: 'mine' })
  @IsOptional()
  @IsIn(['mine', 'awaiting_review', 'all'])
  scope: ProjectScope = 'mine';

  @ApiPropertyOptional({ enum: PROJECT_STATUSES })
  @IsOptional()
  @IsIn(PROJECT_STATUSES)
  status?: ProjectStatus;
}
