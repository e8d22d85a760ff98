import { execFile } from 'node:child_process';
import { request, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';

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

export async function stopLocalKube(): Promise<void> {
  await run(SCRIPT, ['stop'], { env: ENV, timeout: 60_000 });
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
