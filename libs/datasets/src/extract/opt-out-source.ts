import type { OptOutCheck } from './dataset-extractor';

/** How the extract learns which opt-out lists apply to a flow, and who is on them. */
export interface OptOutSource {
  listsFor(legalBasis: string, origin: string): string[];
  membership(list: string): Promise<OptOutCheck & { readonly version: number; readonly size: number }>;
}

export const OPT_OUT_SOURCE = Symbol('OPT_OUT_SOURCE');
