/** What a caller says happened; the service adds sequence, time, links and hash. */
export interface NewAuditEvent {
  /** Dotted verb, e.g. `project.submitted`, `user.registered`. */
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId?: string | null;
  /** Defaults to the actor of the current request; the worker passes `system:<component>`. */
  readonly actorId?: string;
  /** Facts about the change, never personal identifiers (refused). */
  readonly details?: Record<string, unknown>;
}

export interface AuditEventView {
  readonly seq: number;
  readonly occurredAt: string;
  readonly actorId: string;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string | null;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export type VerificationReport =
  | { readonly valid: true; readonly count: number; readonly head: ChainHead | null }
  | {
      readonly valid: false;
      readonly count: number;
      readonly head: ChainHead | null;
      /** The first sequence number at which the chain does not hold. */
      readonly brokenAt: number;
      readonly reason: string;
    };

export interface AuditQuery {
  readonly page: number;
  readonly pageSize: number;
  /** Keyset cursor: only events with a lower seq (the previous page's `nextBeforeSeq`); `page` is then 1. */
  readonly beforeSeq?: number;
  readonly action?: string;
  readonly actorId?: string;
  readonly subjectType?: string;
  readonly subjectId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

export interface AuditPage {
  readonly items: AuditEventView[];
  readonly page: number;
  readonly pageSize: number;
  /** Matching events, counted up to AUDIT_TOTAL_LIMIT: past it, the limit itself and `totalIsLowerBound`. */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  /** Pass as `beforeSeq` for the next (older) page; null when this page is the last. */
  readonly nextBeforeSeq: number | null;
}

/** One page of a subject's timeline, oldest first. */
export interface TimelinePage {
  readonly items: AuditEventView[];
  readonly page: number;
  readonly pageSize: number;
  /** The subject's events the viewer may see, counted up to AUDIT_TOTAL_LIMIT (see `AuditPage`). */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}

export const SYSTEM_ACTOR = {
  worker: 'system:worker',
  api: 'system:api',
  cli: 'system:cli',
} as const;
