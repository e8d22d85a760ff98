import type { FileCheckResult } from '../domain/check-file';
import type { ReleaseManifest } from '../domain/manifest';
import type { FileDecision, OutputVote } from '../domain/review-decision';
import type { OutputStatus } from '../domain/output-status';
import type { CheckState } from '../entities/output-file.entity';

export interface OutputReviewView {
  readonly checkerId: string;
  readonly round: number;
  readonly vote: OutputVote;
  readonly comment: string;
  readonly castAt: string;
}

export interface OutputFileView {
  readonly id: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly hasRecord: boolean;
  readonly recordType: string | null;
  readonly checkState: CheckState;
  readonly check: FileCheckResult | null;
  readonly decision: FileDecision;
  readonly conflicted: boolean;
  readonly reviews: OutputReviewView[];
  /** Where the file came from (null: uploaded by hand). */
  readonly provenance: {
    readonly workspaceId: string;
    readonly path: string;
    readonly sha256: string;
    readonly collectedAt: string;
  } | null;
  /** The researcher's "what this is" and "how disclosure was controlled". */
  readonly context: string | null;
  readonly controls: string | null;
  /** The table the record describes, as published (null: suppressed), for the checker's grid. */
  readonly table: {
    readonly rows: string[];
    readonly cols: string[];
    readonly values: (number | null)[][];
    readonly rounding: string | null;
  } | null;
}

export interface OutputRequestSummary {
  readonly id: string;
  readonly projectId: string;
  readonly title: string;
  readonly status: OutputStatus;
  readonly round: number;
  readonly files: number;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
}

export interface OutputRequestView extends OutputRequestSummary {
  readonly authorId: string;
  readonly checkError: string | null;
  readonly submittedAt: string | null;
  readonly checkedAt: string | null;
  readonly decidedAt: string | null;
  readonly createdAt: string;
  /** Files checked so far in this round, of all. */
  readonly checkProgress: { readonly done: number; readonly total: number };
  /** True while this round's reviews are hidden from this caller: from checkers until enough are in, from
   * everyone else until the round is decided. */
  readonly blind: boolean;
  readonly reviewsRequired: number;
  readonly reviewsIn: number;
  /** The caller is on the request's project (so, as a checker, may not vote on it). */
  readonly member: boolean;
  readonly conflicted: boolean;
  readonly fileList: OutputFileView[];
  readonly release: {
    readonly id: string;
    readonly bundleSha256: string;
    readonly manifest: ReleaseManifest;
  } | null;
}

export type OutputScope = 'mine' | 'awaiting_review' | 'all';

export interface OutputPage {
  readonly items: OutputRequestSummary[];
  readonly page: number;
  readonly pageSize: number;
  /** Matching requests, counted up to LIST_TOTAL_LIMIT: past it, the limit itself and `totalIsLowerBound`. */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}
