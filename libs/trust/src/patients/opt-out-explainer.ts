import {
  DATASET_ORIGINS,
  OPT_OUT_LEGAL_BASES,
  optOutListsFor,
  type DatasetOrigin,
  type OptOutList,
} from '@tre/datasets';
import { OPT_OUT_TITLES } from '../domain/opt-out-lists';

export interface OptOutListExplained {
  readonly list: OptOutList;
  readonly title: string;
  readonly whatItIs: string;
  readonly howToChoose: string;
}

export interface OptOutRule {
  readonly legalBasis: string;
  readonly legalBasisTitle: string;
  readonly dataSource: DatasetOrigin;
  readonly dataSourceTitle: string;
  /** The lists this service applies to such a flow: people on them are removed before anyone sees the data. */
  readonly listsApplied: OptOutList[];
}

const LISTS: readonly OptOutListExplained[] = [
  {
    list: 'national',
    title: OPT_OUT_TITLES.national,
    whatItIs:
      'Your choice that your confidential patient information is not used for research and planning. It applies to health and care organisations in England.',
    howToChoose:
      'Set or change it at nhs.uk/your-nhs-data-matters, through the NHS App, or by phone on 0300 303 5678. It takes effect here the next time the list is loaded, before any new extract is made.',
  },
  {
    list: 'type1',
    title: OPT_OUT_TITLES.type1,
    whatItIs:
      'An objection you register with your GP practice to identifiable information about you leaving the practice for purposes other than your direct care.',
    howToChoose: 'Ask your GP practice to record it (or to remove it).',
  },
];

/** Plain words for each legal basis the policy knows; an unknown one shows its code rather than a guess. */
const LEGAL_BASIS_TITLES: Readonly<Record<string, string>> = {
  consent: 'You consented to this use',
  s251: 'Section 251 support (NHS Act 2006), without consent',
  s251_cag_exempt:
    'Section 251 support where the Confidentiality Advisory Group exempted the flow from opt-outs',
  public_health_reg3: 'Public health (regulation 3 of the COPI Regulations 2002)',
  legal_requirement: 'The law requires the disclosure',
  anonymised: 'Anonymised data',
};

const ORIGIN_TITLES: Readonly<Record<DatasetOrigin, string>> = {
  gp: 'GP practice records',
  hospital: 'Hospital records',
  registry: 'Registries (for example deaths or cancer)',
  other: 'Other sources',
};

export function explainedLists(): readonly OptOutListExplained[] {
  return LISTS;
}

/**
 * The policy as a table, computed from the very function the extract builder calls (optOutListsFor), for
 * every legal basis and data source it knows: what this page says is what the extract does.
 */
export function optOutRules(): OptOutRule[] {
  return OPT_OUT_LEGAL_BASES.flatMap((legalBasis) =>
    DATASET_ORIGINS.map((dataSource) => ({
      legalBasis,
      legalBasisTitle: LEGAL_BASIS_TITLES[legalBasis] ?? legalBasis,
      dataSource,
      dataSourceTitle: ORIGIN_TITLES[dataSource],
      listsApplied: optOutListsFor(legalBasis, dataSource),
    })),
  );
}
