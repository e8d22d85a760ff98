import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@tre/auth';
import { DATASET_ORIGINS, OPT_OUT_LISTS, type DatasetOrigin, type OptOutList } from '@tre/datasets';
import { explainedLists, optOutRules, StatementService } from '@tre/trust';
import { PublicCountDto } from '../register/register.dto';

class PatientOptOutListDto {
  @ApiProperty({ enum: OPT_OUT_LISTS }) list!: OptOutList;
  @ApiProperty() title!: string;
  @ApiProperty() whatItIs!: string;
  @ApiProperty() howToChoose!: string;
}

class OptOutRuleDto {
  @ApiProperty({ example: 's251' }) legalBasis!: string;
  @ApiProperty() legalBasisTitle!: string;
  @ApiProperty({ enum: DATASET_ORIGINS }) dataSource!: DatasetOrigin;
  @ApiProperty() dataSourceTitle!: string;
  @ApiProperty({ enum: OPT_OUT_LISTS, isArray: true }) listsApplied!: OptOutList[];
}

class HonouredDto {
  @ApiProperty({ enum: OPT_OUT_LISTS }) list!: OptOutList;
  @ApiProperty() title!: string;
  @ApiProperty({ type: PublicCountDto }) peopleRemoved!: PublicCountDto;
}

class TotalsDto {
  @ApiProperty({ description: 'Extracts built since the service began' }) extracts!: number;
  @ApiProperty({ type: [HonouredDto], description: 'Summed over extracts (a person in two counts twice)' })
  lists!: HonouredDto[];
}

export class PatientOptOutsDto {
  @ApiProperty({ type: [PatientOptOutListDto] }) lists!: PatientOptOutListDto[];
  @ApiProperty({
    type: [OptOutRuleDto],
    description:
      'Every legal basis and data source, with the lists applied: the extract builder’s own policy',
  })
  rules!: OptOutRuleDto[];
  @ApiProperty({ type: TotalsDto }) totals!: TotalsDto;
  @ApiProperty() individualLookup!: string;
}

/**
 * For patients: what the two opt-outs are, how this service applies each (by legal basis and data source,
 * computed from the policy the extract applies), and how many people they removed, rounded. Public, and by
 * design it looks nobody up.
 */
@ApiTags('patients')
@Controller('patients')
export class PatientsController {
  constructor(private readonly statements: StatementService) {}

  @Public()
  @Get('opt-outs')
  @ApiOkResponse({ type: PatientOptOutsDto })
  async optOuts(): Promise<PatientOptOutsDto> {
    return {
      lists: [...explainedLists()],
      rules: optOutRules(),
      totals: await this.statements.allTimeOptOuts(),
      individualLookup:
        'This service cannot tell you whether your own records were used, and answers no question about any one person: it keeps no names, and checks opt-outs only when it builds a project’s data. Ask your GP practice or NHS England about your own choices.',
    };
  }
}
