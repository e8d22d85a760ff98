import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, type ResourceType } from './resources';

export type Json = Record<string, unknown>;

export interface Answer {
  status: number;
  body: unknown;
}

export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Kubernetes `Status` failure, as the API server writes it. */
export function failure(code: number, reason: string, message: string, details: Json = {}): Answer {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      details,
      code,
    },
  };
}

const notFound = (type: ResourceType, name: string): Answer =>
  failure(404, 'NotFound', `${type.name} "${name}" not found`, { name, kind: type.name });

const metadataOf = (object: Json): Json => (isRecord(object.metadata) ? object.metadata : {});

/** RFC 7386 JSON merge patch: objects merge, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const result: Json = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** `a=b`, `a==b`, `a!=b`, `a` and `!a`, comma-separated (all must hold): the selectors we use. */
export function matchesSelector(labels: Record<string, unknown>, selector: string | null): boolean {
  if (!selector) return true;
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean)
    .every((term) => {
      const inequality = /^([^!=]+)!=(.*)$/.exec(term);
      if (inequality) return labels[inequality[1].trim()] !== inequality[2].trim();
      const equality = /^([^!=]+)==?(.*)$/.exec(term);
      if (equality) return labels[equality[1].trim()] === equality[2].trim();
      if (term.startsWith('!')) return !(term.slice(1).trim() in labels);
      return term in labels;
    });
}

/**
 * The fake's objects, keyed by resource, namespace and name, with what the server would write: uid,
 * creationTimestamp, a cluster-wide resourceVersion that moves only when an object really changes, and
 * generation for spec changes. Finalizers hold a deleted object (with deletionTimestamp) until they are cleared.
 * Deleting a namespace removes what is in it at once (the real namespace controller takes seconds).
 */
export class ObjectStore {
  private readonly objects = new Map<string, Json>();
  private revision = 100;

  all(): Json[] {
    return [...this.objects.values()].map((object) => structuredClone(object));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): Answer {
    const object = this.objects.get(this.key(type, namespace, name));
    return object ? { status: 200, body: structuredClone(object) } : notFound(type, name);
  }

  list(type: ResourceType, namespace: string | undefined, selector: string | null): Answer {
    const items = [...this.objects.values()].filter((object) => {
      const metadata = metadataOf(object);
      if (object.kind !== type.kind || object.apiVersion !== apiVersionOf(type)) return false;
      if (namespace !== undefined && metadata.namespace !== namespace) return false;
      return matchesSelector(isRecord(metadata.labels) ? metadata.labels : {}, selector);
    });
    return {
      status: 200,
      body: {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(this.revision) },
        // Real lists leave apiVersion and kind off their items; clients must not rely on them.
        items: items.map(({ apiVersion: _apiVersion, kind: _kind, ...rest }) => structuredClone(rest)),
      },
    };
  }

  create(type: ResourceType, namespace: string | undefined, body: unknown): Answer {
    const invalid = this.validate(type, namespace, undefined, body);
    if (invalid) return invalid;
    const object = body as Json;
    const name = String(metadataOf(object).name);
    if (this.objects.has(this.key(type, namespace, name))) {
      return failure(409, 'AlreadyExists', `${type.name} "${name}" already exists`, {
        name,
        kind: type.name,
      });
    }
    return { status: 201, body: this.store(type, namespace, name, object, undefined) };
  }

  /** PUT: a full replacement, refused with 409 when the caller's resourceVersion is stale. */
  replace(type: ResourceType, namespace: string | undefined, name: string, body: unknown): Answer {
    const invalid = this.validate(type, namespace, name, body);
    if (invalid) return invalid;
    const existing = this.objects.get(this.key(type, namespace, name));
    if (!existing) return notFound(type, name);
    const sent = metadataOf(body as Json).resourceVersion;
    if (sent !== undefined && sent !== metadataOf(existing).resourceVersion) {
      return failure(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${type.name} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    return { status: 200, body: this.store(type, namespace, name, body as Json, existing) };
  }

  /**
   * Server-side apply, simplified: creates the object if missing; otherwise every top-level field the
   * applied configuration names replaces the stored one, and labels and annotations merge. Field ownership is
   * not tracked (we always force), so fields a configuration stops naming stay: enough for idempotence and
   * drift repair, which is what our provisioner relies on.
   */
  apply(type: ResourceType, namespace: string | undefined, name: string, body: unknown): Answer {
    const invalid = this.validate(type, namespace, name, body);
    if (invalid) return invalid;
    const applied = body as Json;
    const existing = this.objects.get(this.key(type, namespace, name));
    if (!existing) return { status: 201, body: this.store(type, namespace, name, applied, undefined) };
    const merged: Json = { ...existing, ...applied };
    const oldMeta = metadataOf(existing);
    const newMeta = metadataOf(applied);
    const metadata: Json = { ...oldMeta };
    for (const field of ['labels', 'annotations'] as const) {
      const before = oldMeta[field];
      const after = newMeta[field];
      if (isRecord(before) || isRecord(after)) {
        metadata[field] = { ...(isRecord(before) ? before : {}), ...(isRecord(after) ? after : {}) };
      }
    }
    merged.metadata = metadata;
    return { status: 200, body: this.store(type, namespace, name, merged, existing) };
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, patch: unknown): Answer {
    const existing = this.objects.get(this.key(type, namespace, name));
    if (!existing) return notFound(type, name);
    const patched = mergePatch(existing, patch);
    const invalid = this.validate(type, namespace, name, patched);
    if (invalid) return invalid;
    return { status: 200, body: this.store(type, namespace, name, patched as Json, existing) };
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): Answer {
    const key = this.key(type, namespace, name);
    const existing = this.objects.get(key);
    if (!existing) return notFound(type, name);
    const metadata = metadataOf(existing);
    if (Array.isArray(metadata.finalizers) && metadata.finalizers.length > 0) {
      if (!metadata.deletionTimestamp) {
        this.revision += 1;
        metadata.deletionTimestamp = timestamp();
        metadata.resourceVersion = String(this.revision);
      }
      return { status: 200, body: structuredClone(existing) };
    }
    this.objects.delete(key);
    if (type.kind === 'Namespace') {
      for (const [otherKey, object] of this.objects) {
        if (metadataOf(object).namespace === name) this.objects.delete(otherKey);
      }
    }
    return { status: 200, body: structuredClone(existing) };
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.name}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  /** What the API server checks before storing: the right kind, a name, and an existing namespace. */
  private validate(
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
    body: unknown,
  ): Answer | undefined {
    if (!isRecord(body) || !isRecord(body.metadata))
      return failure(400, 'BadRequest', 'the body is not an object');
    if (body.kind !== type.kind || body.apiVersion !== apiVersionOf(type)) {
      return failure(
        400,
        'BadRequest',
        `the body is a ${String(body.apiVersion)} ${String(body.kind)}, not a ${apiVersionOf(type)} ${type.kind}`,
      );
    }
    const bodyName = body.metadata.name;
    if (typeof bodyName !== 'string' || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(bodyName)) {
      return failure(
        422,
        'Invalid',
        `${type.kind} "${String(bodyName)}" is invalid: metadata.name: Invalid value`,
      );
    }
    if (name !== undefined && bodyName !== name) {
      return failure(
        400,
        'BadRequest',
        `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
      );
    }
    if (type.namespaced) {
      if (body.metadata.namespace !== undefined && body.metadata.namespace !== namespace) {
        return failure(
          400,
          'BadRequest',
          'the namespace of the object does not match the namespace on the request',
        );
      }
      const home = this.objects.get(`/namespaces//${namespace ?? ''}`);
      if (!home)
        return failure(404, 'NotFound', `namespaces "${namespace ?? ''}" not found`, {
          name: namespace,
          kind: 'namespaces',
        });
    }
    return undefined;
  }

  /**
   * Stores `object` over `previous`, writing the server's fields; an object equal to what is stored is left as
   * it is (same resourceVersion), as the real server does for a no-op update. Returns what is stored.
   */
  private store(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    object: Json,
    previous: Json | undefined,
  ): Json {
    const key = this.key(type, namespace, name);
    const before = previous ? metadataOf(previous) : {};
    const metadata: Json = { ...metadataOf(object) };
    for (const field of [
      'uid',
      'creationTimestamp',
      'resourceVersion',
      'generation',
      'deletionTimestamp',
    ] as const) {
      if (before[field] !== undefined) metadata[field] = before[field];
      else delete metadata[field];
    }
    if (type.namespaced) metadata.namespace = namespace;
    const candidate: Json = storedForm({ ...structuredClone(object), metadata });
    if (previous && isDeepStrictEqual(candidate, previous)) return structuredClone(previous);
    const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers : [];
    if (previous && metadata.deletionTimestamp && finalizers.length === 0) {
      this.objects.delete(key);
      return candidate;
    }
    this.revision += 1;
    metadata.resourceVersion = String(this.revision);
    metadata.uid ??= randomUUID();
    metadata.creationTimestamp ??= timestamp();
    const specChanged = !previous || !isDeepStrictEqual(candidate.spec, previous.spec);
    metadata.generation =
      (typeof before.generation === 'number' ? before.generation : 0) + (specChanged ? 1 : 0);
    this.objects.set(key, candidate);
    return structuredClone(candidate);
  }
}

/** A Secret's stringData is write-only: the server folds it into base64 `data`. */
function storedForm(object: Json): Json {
  if (object.kind !== 'Secret' || !isRecord(object.stringData)) return object;
  const { stringData, ...rest } = object;
  const encoded = Object.fromEntries(
    Object.entries(stringData).map(([key, value]) => [key, Buffer.from(String(value)).toString('base64')]),
  );
  return { ...rest, data: { ...(isRecord(rest.data) ? rest.data : {}), ...encoded } };
}

/** Seconds precision, as the API server writes timestamps. */
const timestamp = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
