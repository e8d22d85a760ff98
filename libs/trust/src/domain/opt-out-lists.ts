import { OPT_OUT_LISTS, type OptOutList } from '@tre/datasets';

/** The lists' names as the public knows them. */
export const OPT_OUT_TITLES: Readonly<Record<OptOutList, string>> = {
  national: 'National data opt-out',
  type1: 'Type 1 opt-out (registered with the GP practice)',
};

export const ALL_OPT_OUT_LISTS: readonly OptOutList[] = OPT_OUT_LISTS;
