import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLoaderTokenSecret } from '../manifests/loader';
import { desiredWorkspaceObjects } from '../manifests/desired-objects';
import {
  exampleSettings,
  exampleSpec,
  ofKind,
  TOKEN_SECRET,
} from '../manifests/workspace-fixtures.spec-helper';
import { ClusterError } from './cluster-error';
import { ManifestsDriver, REDACTED_ANNOTATION } from './manifests-driver';

const objects = desiredWorkspaceObjects(exampleSpec(), exampleSettings());
const [namespace] = ofKind(objects, 'Namespace');
const ns = namespace.metadata.name;

describe('ManifestsDriver', () => {
  let dir: string;
  let driver: ManifestsDriver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tre-manifests-'));
    driver = new ManifestsDriver(join(dir, 'out'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('says plainly that no cluster is attached, and where the files go', () => {
    expect(driver.describe()).toBe(`no cluster attached: manifests written to ${join(dir, 'out')}`);
  });

  it('writes one JSON file per object under the namespace folder, each the object as applied', async () => {
    for (const object of objects) await driver.apply(object);
    const files = (await readdir(join(dir, 'out', ns))).sort();
    expect(files).toEqual(objects.map((o) => `${o.kind.toLowerCase()}-${o.metadata.name}.json`).sort());
    const [quota] = ofKind(objects, 'ResourceQuota');
    const written: unknown = JSON.parse(
      await readFile(join(dir, 'out', ns, `resourcequota-${quota.metadata.name}.json`), 'utf8'),
    );
    expect(written).toEqual(quota);
    expect(await driver.get('ResourceQuota', ns, quota.metadata.name)).toEqual(quota);
  });

  it('leaves an unchanged file untouched on a repeated apply, so GitOps sees no diff', async () => {
    await driver.apply(namespace);
    const file = join(dir, 'out', ns, `namespace-${ns}.json`);
    const before = await stat(file);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await driver.apply(namespace);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    await driver.apply({ ...namespace, metadata: { ...namespace.metadata, labels: { extra: 'x' } } });
    expect((await stat(file)).mtimeMs).not.toBe(before.mtimeMs);
  });

  it('never writes Secret values', async () => {
    const secret = buildLoaderTokenSecret(exampleSpec(), exampleSettings(), {
      name: TOKEN_SECRET,
      token: 'one-time-token-value',
    });
    await driver.apply(namespace);
    const written = await driver.apply(secret);
    expect(written.metadata.annotations?.[REDACTED_ANNOTATION]).toBeDefined();
    expect(Object.keys(written.stringData as object)).toEqual(Object.keys(secret.stringData));
    // the object passed in is not altered: the caller's token stays intact for a real cluster
    expect(Object.values(secret.stringData)).toEqual(['one-time-token-value']);
    const text = (
      await Promise.all(
        (await readdir(join(dir, 'out', ns))).map((file) => readFile(join(dir, 'out', ns, file), 'utf8')),
      )
    ).join('\n');
    expect(text).not.toContain('one-time-token-value');
  });

  it('deletes a file (twice is fine), and a namespace with its folder', async () => {
    for (const object of objects) await driver.apply(object);
    const [policy] = ofKind(objects, 'NetworkPolicy');
    expect(await driver.delete('NetworkPolicy', ns, policy.metadata.name)).toBe(true);
    expect(await driver.delete('NetworkPolicy', ns, policy.metadata.name)).toBe(false);
    expect(await driver.get('NetworkPolicy', ns, policy.metadata.name)).toBeUndefined();
    expect(await driver.listManagedNamespaces()).toHaveLength(1);
    expect(await driver.delete('Namespace', undefined, ns)).toBe(true);
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    expect(await driver.listManagedNamespaces()).toEqual([]);
  });

  it('lists only namespaces labelled as ours, and nothing before the first write', async () => {
    expect(await driver.listManagedNamespaces()).toEqual([]);
    await driver.apply(namespace);
    await driver.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'someone-else', labels: {} },
    });
    expect((await driver.listManagedNamespaces()).map((item) => item.metadata.name)).toEqual([ns]);
  });

  it('refuses a name that could walk out of its folder, as a permanent error', async () => {
    const escape = { ...namespace, metadata: { ...namespace.metadata, name: '../../etc' } };
    await expect(driver.apply(escape)).rejects.toEqual(expect.any(ClusterError));
    await expect(driver.apply(escape)).rejects.toMatchObject({ kind: 'permanent' });
  });
});
