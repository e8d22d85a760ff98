import { ApiProperty } from '@nestjs/swagger';
import { OPT_OUT_LISTS, type OptOutList } from '@tre/datasets';
import { REGISTER_STATUSES, type ProjectStatus } from '@tre/projects';
import { PublicKeyDto, SignedTreeHeadDto } from '../transparency/transparency.dto';
import { PublicCountDto } from './register.dto';

class PeriodDto {
  @ApiProperty({ example: '2026-01-01' }) from!: string;
  @ApiProperty({ example: '2026-12-31' }) to!: string;
}

class StateCountDto {
  @ApiProperty({ enum: REGISTER_STATUSES }) state!: ProjectStatus;
  @ApiProperty() projects!: number;
}

class StatementProjectsDto {
  @ApiProperty({ description: 'Approved in the period' }) approved!: number;
  @ApiProperty({ description: 'Revoked, expired or closed in the period' }) ended!: number;
  @ApiProperty({ description: 'Held an approval at some time in the period' }) active!: number;
  @ApiProperty({ type: [StateCountDto], description: 'The active projects by their state now' })
  byState!: StateCountDto[];
}

class DatasetUseDto {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty() projects!: number;
}

class ListHonouredDto {
  @ApiProperty({ enum: OPT_OUT_LISTS }) list!: OptOutList;
  @ApiProperty() title!: string;
  @ApiProperty({ type: PublicCountDto }) peopleRemoved!: PublicCountDto;
}

class OptOutsHonouredDto {
  @ApiProperty({ description: 'Extracts built in the period' }) extracts!: number;
  @ApiProperty({
    type: [ListHonouredDto],
    description: 'Summed over extracts (a person in two counts twice)',
  })
  lists!: ListHonouredDto[];
}

class ReleasedDto {
  @ApiProperty() releases!: number;
  @ApiProperty() files!: number;
}

class RuleCountDto {
  @ApiProperty({ example: 'min_cell_count' }) rule!: string;
  @ApiProperty() requests!: number;
}

class BlockedDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [RuleCountDto] }) byRule!: RuleCountDto[];
}

class DeletionTotalsDto {
  @ApiProperty() deletions!: number;
  @ApiProperty() files!: number;
  @ApiProperty() bytes!: number;
}

class DataDeletedDto {
  @ApiProperty({ type: DeletionTotalsDto }) extracts!: DeletionTotalsDto;
  @ApiProperty({ type: DeletionTotalsDto }) unreleasedOutputs!: DeletionTotalsDto;
  @ApiProperty({ type: DeletionTotalsDto }) releasedOutputs!: DeletionTotalsDto;
}

class StatementTransparencyDto {
  @ApiProperty({ type: SignedTreeHeadDto, nullable: true }) latestHead!: SignedTreeHeadDto | null;
  @ApiProperty({ type: [PublicKeyDto] }) keys!: PublicKeyDto[];
}

export class TransparencyStatementDto {
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty() generatedAt!: string;
  @ApiProperty({ type: StatementProjectsDto }) projects!: StatementProjectsDto;
  @ApiProperty({ type: [DatasetUseDto] }) datasetsUsed!: DatasetUseDto[];
  @ApiProperty({ type: OptOutsHonouredDto }) optOutsHonoured!: OptOutsHonouredDto;
  @ApiProperty({ type: ReleasedDto }) outputsReleased!: ReleasedDto;
  @ApiProperty({ type: BlockedDto }) requestsBlocked!: BlockedDto;
  @ApiProperty({ type: DataDeletedDto }) dataDeleted!: DataDeletedDto;
  @ApiProperty({ type: StatementTransparencyDto }) transparency!: StatementTransparencyDto;
}
