import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../manifests/kube-types';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../manifests/labels';
import {
  CLUSTER_SCOPED_KINDS,
  type ClusterDriver,
  type LiveObject,
  type ManagedKind,
} from './cluster-driver';
import { ClusterError } from './cluster-error';

/** Marks a Secret whose values were withheld from the file. */
export const REDACTED_ANNOTATION = 'tre.redacted';
const REDACTED_VALUE = '<withheld: supply through your secret manager>';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * For deployments without a cluster we can reach: each applied object becomes a JSON file at
 * `<dir>/<namespace>/<kind>-<name>.json` (a namespace's own file sits in its folder), ready for a GitOps tool
 * to sync. Files are rewritten only when their content changes, so a repeated apply leaves no diff behind,
 * and written through a rename, so a sync never reads half a file. Secret values are never written: a
 * GitOps repository is no place for the loader's one-time token, so the file carries the Secret's shape with
 * each value replaced and an annotation saying so.
 */
export class ManifestsDriver implements ClusterDriver {
  constructor(private readonly dir: string) {}

  describe(): string {
    return `no cluster attached: manifests written to ${this.dir}`;
  }

  async apply(object: KubeObject): Promise<LiveObject> {
    const written = redactSecret(object);
    const file = this.fileOf(object.kind, object.metadata.namespace, object.metadata.name);
    const text = `${JSON.stringify(written, null, 2)}\n`;
    await this.io(`write ${file}`, async () => {
      if ((await readIfExists(file)) === text) return;
      await mkdir(this.folderOf(object.kind, object.metadata.namespace, object.metadata.name), {
        recursive: true,
      });
      const temporary = `${file}.${randomUUID()}.tmp`;
      await writeFile(temporary, text, { mode: 0o640 });
      await rename(temporary, file);
    });
    return written;
  }

  async create(object: KubeObject): Promise<boolean> {
    const kind = object.kind as ManagedKind;
    if (await this.get(kind, object.metadata.namespace, object.metadata.name)) return false;
    await this.apply(object);
    return true;
  }

  async get(kind: ManagedKind, namespace: string | undefined, name: string): Promise<LiveObject | undefined> {
    const file = this.fileOf(kind, namespace, name);
    const text = await this.io(`read ${file}`, () => readIfExists(file));
    return text === undefined ? undefined : parseObject(text, file);
  }

  /** Deleting a namespace removes its folder, as the cluster would remove everything in it. */
  async delete(kind: ManagedKind, namespace: string | undefined, name: string): Promise<boolean> {
    const target = CLUSTER_SCOPED_KINDS.has(kind)
      ? this.folderOf(kind, namespace, name)
      : this.fileOf(kind, namespace, name);
    const existed = (await this.get(kind, namespace, name)) !== undefined;
    await this.io(`remove ${target}`, () => rm(target, { recursive: true, force: true }));
    return existed;
  }

  async listManagedNamespaces(): Promise<LiveObject[]> {
    const folders = await this.io(`list ${this.dir}`, async () => {
      try {
        return await readdir(this.dir, { withFileTypes: true });
      } catch (error: unknown) {
        if (isRecord(error) && error.code === 'ENOENT') return [];
        throw error;
      }
    });
    const namespaces: LiveObject[] = [];
    for (const folder of folders.filter((entry) => entry.isDirectory() && DNS_NAME.test(entry.name))) {
      const namespace = await this.get('Namespace', undefined, folder.name);
      if (namespace?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) namespaces.push(namespace);
    }
    return namespaces;
  }

  /** Nothing runs from files: there are never pods to read. */
  listPods(): Promise<LiveObject[]> {
    return Promise.resolve([]);
  }

  /** Nothing runs without a cluster: no collection leaves objects behind. */
  listLabelled(): Promise<LiveObject[]> {
    return Promise.resolve([]);
  }

  private folderOf(kind: string, namespace: string | undefined, name: string): string {
    return join(this.dir, safeSegment(kind === 'Namespace' ? name : (namespace ?? '_cluster')));
  }

  private fileOf(kind: string, namespace: string | undefined, name: string): string {
    return join(
      this.folderOf(kind, namespace, name),
      `${safeSegment(kind.toLowerCase())}-${safeSegment(name)}.json`,
    );
  }

  /** A full disk or a read-only mount will not fix itself on retry; say which file, and stop. */
  private async io<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error: unknown) {
      if (error instanceof ClusterError) throw error;
      const code = isRecord(error) && typeof error.code === 'string' ? error.code : 'IOError';
      const text = error instanceof Error ? error.message : String(error);
      throw new ClusterError('permanent', code, `${operation}: ${text}`);
    }
  }
}

/** Kubernetes names are DNS labels; anything else would be a bug upstream, and must not walk the file system. */
const DNS_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

function safeSegment(segment: string): string {
  if (segment !== '_cluster' && !DNS_NAME.test(segment)) {
    throw new ClusterError('permanent', 'Invalid', `"${segment}" is not a valid Kubernetes name`);
  }
  return segment;
}

function redactSecret(object: KubeObject): LiveObject {
  const copy = structuredClone(object) as unknown as LiveObject;
  if (object.kind !== 'Secret') return copy;
  for (const field of ['stringData', 'data']) {
    const values = copy[field];
    if (isRecord(values)) {
      copy[field] = Object.fromEntries(Object.keys(values).map((key) => [key, REDACTED_VALUE]));
    }
  }
  copy.metadata.annotations = {
    ...copy.metadata.annotations,
    [REDACTED_ANNOTATION]: 'values withheld from this file; create them through your secret manager',
  };
  return copy;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    if (isRecord(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseObject(text: string, file: string): LiveObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.metadata) || typeof parsed.metadata.name !== 'string') {
    throw new ClusterError('permanent', 'Invalid', `${file} does not hold a Kubernetes object`);
  }
  return parsed as LiveObject;
}
