import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig, loadAllYaml } from '@kubernetes/client-node';

const run = promisify(execFile);
/** The shared tool beside the repository, unless TRE_LOCAL_KUBE_SCRIPT names it (.ci/run sets it). */
const SCRIPT =
  process.env.TRE_LOCAL_KUBE_SCRIPT ??
  join(__dirname, '..', '..', '..', 'shared', 'tools', 'local-kube', 'local-kube');

/**
 * A run directory and ports of our own, so this tier neither reuses nor stops a control plane someone else
 * started on this machine with the script's defaults.
 */
const ENV = {
  ...process.env,
  LOCAL_KUBE_DIR: process.env.TRE_LOCAL_KUBE_DIR ?? '/tmp/tre-k8s-tier',
  LOCAL_KUBE_PORT: process.env.TRE_LOCAL_KUBE_PORT ?? '16443',
  LOCAL_KUBE_ETCD_PORT: process.env.TRE_LOCAL_KUBE_ETCD_PORT ?? '22379',
};

/** Starts (or finds running) the real API server; returns the kubeconfig path the script prints. */
export async function startLocalKube(): Promise<string> {
  const { stdout } = await run(SCRIPT, ['start'], { env: ENV, timeout: 120_000 });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1];
}

/** Folders holding credentials this module wrote (the provisioner's kubeconfig and its token). */
const credentialDirs: string[] = [];

/**
 * Stops the API server and removes its run directory (its admin kubeconfig, certificates and etcd data) and
 * every kubeconfig written here: no credential of the tier outlives it.
 */
export async function stopLocalKube(): Promise<void> {
  await run(SCRIPT, ['stop'], { env: ENV, timeout: 60_000 });
  for (const dir of [ENV.LOCAL_KUBE_DIR, ...credentialDirs.splice(0)])
    await rm(dir, { recursive: true, force: true });
}

/**
 * A raw request with the kubeconfig's credentials, for what a test does by hand and the driver never does:
 * merge patches (a PVC's finalizers) and creating objects with a plain POST.
 */
export async function kubeRequest(
  kubeconfigPath: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const server = new URL(config.getCurrentCluster()?.server ?? '');
  const options: RequestOptions = {
    method,
    hostname: server.hostname,
    port: server.port,
    path,
    headers: { 'content-type': contentType, accept: 'application/json' },
  };
  await config.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

const K8S_BASE = join(__dirname, '..', '..', 'k8s', 'base');
const SERVICE_NAMESPACE = 'tre-system';
const PROVISIONER_ACCOUNT = 'tre-provisioner';

interface Manifest {
  kind: string;
  metadata: { name: string };
}

const isManifest = (value: unknown): value is Manifest =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Manifest).kind === 'string' &&
  typeof (value as Manifest).metadata?.name === 'string';

const API_PATHS: Record<string, (name: string) => string> = {
  Namespace: (name) => `/api/v1/namespaces/${name}`,
  ServiceAccount: (name) => `/api/v1/namespaces/${SERVICE_NAMESPACE}/serviceaccounts/${name}`,
  ClusterRole: (name) => `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`,
  ClusterRoleBinding: (name) => `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}`,
};

async function manifestsOf(file: string): Promise<Manifest[]> {
  const documents: unknown[] = loadAllYaml(await readFile(join(K8S_BASE, file), 'utf8'));
  return documents.filter(isManifest);
}

/**
 * A kubeconfig that acts as the worker's service account with exactly the permissions the deployment grants it:
 * the ServiceAccount of k8s/base/serviceaccounts.yaml and the ClusterRole and binding of
 * k8s/base/rbac-provisioner.yaml are applied as they are, and the API server issues a token for the account.
 * Whatever a worker does through it, the deployed RBAC allows.
 */
export async function provisionerKubeconfig(adminKubeconfigPath: string): Promise<string> {
  const objects: Manifest[] = [
    { kind: 'Namespace', metadata: { name: SERVICE_NAMESPACE } },
    ...(await manifestsOf('serviceaccounts.yaml')).filter((o) => o.metadata.name === PROVISIONER_ACCOUNT),
    ...(await manifestsOf('rbac-provisioner.yaml')),
  ];
  for (const object of objects) {
    const path = API_PATHS[object.kind];
    if (!path) throw new Error(`no API path for ${object.kind}`);
    // kustomize sets the namespace of the base's objects; the path carries it here.
    const applied = await kubeRequest(
      adminKubeconfigPath,
      'PATCH',
      `${path(object.metadata.name)}?fieldManager=tre-k8s-tier&force=true`,
      { apiVersion: 'v1', ...object, metadata: { ...object.metadata, namespace: undefined } },
      'application/apply-patch+yaml',
    );
    if (applied.status >= 300) throw new Error(`apply ${object.kind}: ${JSON.stringify(applied.body)}`);
  }
  const issued = await kubeRequest(
    adminKubeconfigPath,
    'POST',
    `/api/v1/namespaces/${SERVICE_NAMESPACE}/serviceaccounts/${PROVISIONER_ACCOUNT}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  );
  const token = (issued.body as { status?: { token?: string } }).status?.token;
  if (!token) throw new Error(`no token for ${PROVISIONER_ACCOUNT}: ${JSON.stringify(issued.body)}`);

  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfigPath);
  const server = admin.getCurrentCluster()?.server ?? '';
  const dir = await mkdtemp(join(tmpdir(), 'tre-provisioner-'));
  credentialDirs.push(dir);
  const path = join(dir, 'kubeconfig');
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: PROVISIONER_ACCOUNT, user: { token } }],
    contexts: [{ name: 'provisioner', context: { cluster: 'local', user: PROVISIONER_ACCOUNT } }],
    'current-context': 'provisioner',
  };
  await writeFile(path, JSON.stringify(kubeconfig), { mode: 0o600 });
  return path;
}
