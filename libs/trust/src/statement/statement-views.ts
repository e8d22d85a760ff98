import type { PublishedKey, SignedTreeHead } from '@tre/audit';
import type { OptOutList } from '@tre/datasets';
import type { ProjectStatus } from '@tre/projects';
import type { PublicCount } from '../domain/public-count';

export interface DeletionTotals {
  /** Deletions (one per project and kind of data). */
  readonly deletions: number;
  readonly files: number;
  readonly bytes: number;
}

/** Totals over a period, for anyone: what the service did with patients' data. */
export interface TransparencyStatement {
  readonly period: { readonly from: string; readonly to: string };
  readonly generatedAt: string;
  readonly projects: {
    /** Projects approved in the period. */
    readonly approved: number;
    /** Projects revoked, expired or closed in the period. */
    readonly ended: number;
    /** Projects that held an approval at some time in the period, by their state now. */
    readonly active: number;
    readonly byState: { readonly state: ProjectStatus; readonly projects: number }[];
  };
  /** Datasets the active projects were approved to use, with how many projects each. */
  readonly datasetsUsed: { readonly code: string; readonly title: string; readonly projects: number }[];
  readonly optOutsHonoured: {
    /** Extracts built in the period. */
    readonly extracts: number;
    /** People each list removed, summed over those extracts (a person in two projects counts twice), rounded. */
    readonly lists: {
      readonly list: OptOutList;
      readonly title: string;
      readonly peopleRemoved: PublicCount;
    }[];
  };
  readonly outputsReleased: { readonly releases: number; readonly files: number };
  readonly requestsBlocked: {
    readonly total: number;
    /** Blocks by the rule that broke; a request broken by two rules counts under each. */
    readonly byRule: { readonly rule: string; readonly requests: number }[];
  };
  readonly dataDeleted: {
    readonly extracts: DeletionTotals;
    readonly unreleasedOutputs: DeletionTotals;
    readonly releasedOutputs: DeletionTotals;
  };
  /** Check the audit trail behind these figures: `tre transparency verify` with this head and key. */
  readonly transparency: {
    readonly latestHead: SignedTreeHead | null;
    readonly keys: PublishedKey[];
  };
}
