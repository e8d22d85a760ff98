import type { KubeObject } from './kube-types';
import { isQuantity, parseQuantity } from './quantity';

/** One field of a desired object that the live object lacks or holds differently. */
export interface FieldDrift {
  path: string;
  desired: unknown;
  live: unknown;
}

/** Written by the server, never by us: comparing them would report drift on every read. */
export const SERVER_POPULATED_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;

/** Keys under which strings are resource quantities the server rewrites in canonical form ("1024Mi" as "1Gi"). */
const QUANTITY_PARENTS = new Set([
  'requests',
  'limits',
  'hard',
  'default',
  'defaultRequest',
  'max',
  'min',
  'emptyDir',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutServerFields(object: unknown): unknown {
  if (!isRecord(object)) return object;
  const { metadata, ...rest } = object;
  delete rest.status;
  if (!isRecord(metadata)) return rest;
  const kept = { ...metadata };
  for (const field of SERVER_POPULATED_METADATA) delete kept[field];
  return { ...rest, metadata: kept };
}

/** Where a value sits: its path for the report, and the key of the object holding it (for quantities). */
interface Position {
  path: string;
  key: string;
  holder: string;
}

function child(position: Position, key: string): Position {
  const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return { path: position.path ? `${position.path}${step}` : key, key, holder: position.key };
}

function sameScalar(desired: unknown, live: unknown, holder: string): boolean {
  if (desired === live) return true;
  // Quantities are compared by value: the server stores "2000m" as "2".
  return (
    QUANTITY_PARENTS.has(holder) &&
    typeof desired === 'string' &&
    typeof live === 'string' &&
    isQuantity(desired) &&
    isQuantity(live) &&
    parseQuantity(desired).milli === parseQuantity(live).milli
  );
}

function compare(desired: unknown, live: unknown, position: Position, drifts: FieldDrift[]): void {
  const { path } = position;
  if (Array.isArray(desired)) {
    // An absent list is an empty one (the server omits empty lists); a list of another length is drift as a
    // whole, so a rule added to a policy is caught even though the desired list never mentions it.
    const liveList = live === undefined || live === null ? [] : live;
    if (!Array.isArray(liveList) || liveList.length !== desired.length) {
      drifts.push({ path, desired, live });
      return;
    }
    desired.forEach((item, index) =>
      compare(item, liveList[index], { ...position, path: `${path}[${index}]` }, drifts),
    );
    return;
  }
  if (isRecord(desired)) {
    const keys = Object.keys(desired);
    // An empty desired object means "empty" (podSelector: {} selects every pod); a live one with keys is drift.
    if (keys.length === 0) {
      if (live !== undefined && (!isRecord(live) || Object.keys(live).length > 0))
        drifts.push({ path, desired, live });
      return;
    }
    if (!isRecord(live)) {
      drifts.push({ path, desired, live });
      return;
    }
    for (const key of keys) {
      compare(desired[key], live[key], child(position, key), drifts);
    }
    return;
  }
  if (!sameScalar(desired, live, position.holder)) drifts.push({ path, desired, live });
}

/**
 * The fields of `desired` that `live` does not match. Fields only the live object has are ignored, since the
 * server adds defaults (a pod's dnsPolicy, a Service's clusterIP) that are not drift; lists and empty objects
 * are compared whole, because there an addition changes meaning (an extra rule, a narrowed selector). Fields
 * someone adds outside what we declare are for checkRestrictedProfile and checkWorkspaceHardening to judge.
 */
export function driftBetween(desired: KubeObject, live: unknown): FieldDrift[] {
  const drifts: FieldDrift[] = [];
  compare(
    withoutServerFields(secretAsStored(desired)),
    withoutServerFields(live),
    { path: '', key: '', holder: '' },
    drifts,
  );
  return desired.kind === 'Secret' ? drifts.map(redactSecretValues) : drifts;
}

/** The server never returns a Secret's write-only stringData: it stores it base64-encoded under data. */
function secretAsStored(desired: KubeObject): KubeObject {
  const { stringData, ...rest } = desired as KubeObject & { stringData?: Record<string, string> };
  if (desired.kind !== 'Secret' || !stringData) return desired;
  const encoded = Object.fromEntries(
    Object.entries(stringData).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
  const data = (rest as { data?: Record<string, string> }).data;
  return { ...rest, data: { ...data, ...encoded } } as KubeObject;
}

/** A drift report goes to logs and the audit trail; a token must not. */
function redactSecretValues(drift: FieldDrift): FieldDrift {
  return /^(data|stringData)\b/.test(drift.path)
    ? { path: drift.path, desired: '<redacted>', live: drift.live === undefined ? undefined : '<redacted>' }
    : drift;
}

export function manifestsEqual(desired: KubeObject, live: unknown): boolean {
  return driftBetween(desired, live).length === 0;
}
