import type { DatasetView } from '../catalogue/catalogue.types';
import { ExtractFailure, type ExtractRequest } from './extract.types';
import type { OptOutCheck } from './dataset-extractor';

/** How the extract learns which opt-out lists apply to a flow, and who is on them. */
export interface OptOutSource {
  listsFor(legalBasis: string, origin: string): string[];
  membership(list: string): Promise<OptOutCheck & { readonly version: number; readonly size: number }>;
}

export const OPT_OUT_SOURCE = Symbol('OPT_OUT_SOURCE');

/** Loads every list that applies to one of the request's flows, once each. */
export async function loadOptOutLists(
  optOuts: OptOutSource,
  request: ExtractRequest,
  datasets: readonly DatasetView[],
): Promise<Map<string, Awaited<ReturnType<OptOutSource['membership']>>>> {
  const needed = new Set(
    request.datasets.flatMap((d, i) => optOuts.listsFor(d.legalBasis, datasets[i].origin)),
  );
  const lists = new Map<string, Awaited<ReturnType<OptOutSource['membership']>>>();
  for (const list of needed) {
    const membership = await optOuts.membership(list);
    // Fails closed: a list that applies but was never loaded would let every opted-out person through.
    if (membership.version === 0) {
      throw new ExtractFailure(
        'load opt-outs',
        `the ${list} opt-out list applies to this extract but has never been loaded`,
      );
    }
    lists.set(list, membership);
  }
  return lists;
}
