import type { OptOutList } from '@tre/datasets';
import type { ProjectStatus } from '@tre/projects';
import type { PublicCount } from '../domain/public-count';

/** One opt-out list as the register shows it for a project. */
export interface RegisterOptOut {
  readonly list: OptOutList;
  readonly title: string;
  /** Whether the list applies to any of the project's data flows (by legal basis and data source). */
  readonly applied: boolean;
  /** People it removed from the project's latest extract, rounded; null when not applied or not extracted yet. */
  readonly peopleRemoved: PublicCount | null;
}

export interface RegisterRelease {
  readonly title: string;
  readonly releasedOn: string;
  readonly files: number;
}

/** When retention deleted each kind of the project's data (null: not yet, or nothing of that kind). */
export interface RegisterDeletion {
  readonly extractsDeletedOn: string | null;
  readonly unreleasedOutputsDeletedOn: string | null;
  readonly releasedOutputsDeletedOn: string | null;
  /** A legal hold pauses deletion; its reason is not public. */
  readonly paused: boolean;
}

export interface RegisterEntry {
  readonly id: string;
  readonly title: string;
  readonly laySummary: string;
  readonly organisation: string;
  readonly status: ProjectStatus;
  readonly datasets: { code: string; title: string; legalBasis: string }[];
  /** The date the data access committee approved it. */
  readonly approvedOn: string | null;
  /** The end date the approval granted. */
  readonly endDate: string | null;
  /** When it was revoked, expired or closed. */
  readonly endedOn: string | null;
  readonly optOuts: RegisterOptOut[];
  /** Files released, all releases together. */
  readonly outputsReleased: number;
  readonly releases: RegisterRelease[];
  readonly dataDeletion: RegisterDeletion;
}
