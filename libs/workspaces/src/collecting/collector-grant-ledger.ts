/**
 * The seam between the reconciler (here) and the collections of output requests (the outputs library, which
 * depends on this one, not the other way round). The reconciler removes a collector's Job, Secret and egress
 * policy once the collect grant they serve is dead, so what a worker that died mid-collection left behind goes.
 */
export interface CollectorGrantLedger {
  /**
   * Of these grant ids, those whose objects are in use: not revoked or expired, and not spent or spent by a run
   * the worker has yet to settle.
   */
  grantsInUse(grantIds: readonly string[]): Promise<Set<string>>;
  /** Grants of this workspace's collections whose clean-up step never finished. */
  unfinishedCleanUps(workspaceId: string): Promise<string[]>;
  /** The objects of these grants are gone: their collections' clean-up is done (and a collection left running, failed). */
  cleanedUp(grantIds: readonly string[]): Promise<void>;
}

/** Nest injection token of the CollectorGrantLedger (provided globally by the outputs side). */
export const COLLECTOR_GRANT_LEDGER = Symbol('COLLECTOR_GRANT_LEDGER');
