/** Who is reading the audit trail: enough to decide what the reader may see (a token's user satisfies it). */
export interface AuditViewer {
  readonly id: string;
  readonly subject: string;
  readonly roles: readonly string[];
}

/** A SQL condition with the parameters it names; parameter names must be unique to the seal. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

/**
 * A rule that keeps some events from some readers for a while, e.g. a blind vote until its decision. The
 * part of the service that owns the rule (projects, the airlock) registers it; every read of the trail
 * applies every registered seal, so what the rule hides is hidden from each route that shows events.
 *
 * A sealed event is withheld whole, never shown with fields blanked out: its hash covers the hidden fields,
 * so a partial event would let a reader test guesses (a committee member's id, a decision) against it.
 */
export interface AuditSeal {
  /** True for an event (columns of the alias `e` of `audit_events`) this viewer may not see now. */
  sealedFor(viewer: AuditViewer): SqlCondition;
}
