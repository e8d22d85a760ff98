import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterDriver, LiveObject, ManagedKind } from '../cluster/cluster-driver';
import { ManifestsDriver } from '../cluster/manifests-driver';
import { driftBetween } from '../manifests/drift';
import type { KubeObject } from '../manifests/kube-types';
import { StepNotYet } from './step-runner';

/** False for the manifests driver: objects are written for someone else to apply, and nothing ever runs. */
export const clusterAttached = (driver: ClusterDriver): boolean => !(driver instanceof ManifestsDriver);

export interface EnsureOutcome {
  applied: string[];
  unchanged: string[];
}

/**
 * Makes the objects hold what we want. A step's first run applies at once: server-side apply is itself
 * idempotent (an identical apply changes nothing on the server), and half the calls keep provisioning fast.
 * A step run again (a retry, or another worker after a crash) reads each object first and applies only what
 * is missing or differs, so it sends no writes for what the earlier run finished.
 */
export async function ensureObjects(
  driver: ClusterDriver,
  objects: readonly KubeObject[],
  readFirst = true,
): Promise<EnsureOutcome> {
  const outcome: EnsureOutcome = { applied: [], unchanged: [] };
  for (const object of objects) {
    const ref = `${object.kind}/${object.metadata.name}`;
    if (!readFirst) {
      await driver.apply(object);
      outcome.applied.push(ref);
      continue;
    }
    const live = await driver.get(
      object.kind as ManagedKind,
      object.metadata.namespace,
      object.metadata.name,
    );
    if (live && !live.metadata.deletionTimestamp && driftBetween(object, live).length === 0) {
      outcome.unchanged.push(ref);
      continue;
    }
    await driver.apply(object);
    outcome.applied.push(ref);
  }
  return outcome;
}

export const describeOutcome = (outcome: EnsureOutcome): string =>
  [
    outcome.applied.length ? `applied ${outcome.applied.join(', ')}` : '',
    outcome.unchanged.length ? `unchanged ${outcome.unchanged.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');

/** Polls `check` until it returns a value, or throws StepNotYet after `timeoutMs` (the next attempt waits again). */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  pollMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new StepNotYet(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(pollMs);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function statusOf(live: LiveObject | undefined): Record<string, unknown> {
  return live && isRecord(live.status) ? live.status : {};
}
