/** What the worker asks for: the approval's terms, exactly as approved (never the editable application). */
export interface ExtractRequest {
  readonly projectId: string;
  readonly approvalId: string;
  readonly approvalVersion: number;
  readonly datasets: readonly {
    datasetId: string;
    code: string;
    fields: readonly string[];
    legalBasis: string;
  }[];
}

/** A failure no retry can mend (a missing source table, a failed gate): the extract is marked failed at once. */
export class ExtractFailure extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractFailure';
  }
}

/** One page of a project's extracts, the same shape as every paged list. */
export interface ExtractPage {
  readonly items: ExtractView[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export interface ExtractView {
  readonly id: string;
  readonly projectId: string;
  readonly approvalId: string;
  readonly status: string;
  readonly keyVersion: number;
  readonly steps: {
    name: string;
    state: string;
    startedAt?: string;
    finishedAt?: string;
    detail?: Record<string, unknown>;
  }[];
  readonly failureReason: string | null;
  readonly manifest: Record<string, unknown> | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One file of a delivered extract, as its manifest lists it. */
export interface DeliveredFile {
  readonly dataset: string;
  readonly file: string;
  readonly rows: number;
  readonly sha256: string;
  /** Size in bytes; absent from manifests written before sizes were recorded. */
  readonly bytes?: number;
}
