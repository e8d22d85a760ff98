import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultPlan, type FaultOptions } from './faults';
import { deleteJobPods, recordJobPod, type JobPodReport } from './job-pods';
import { discovery, parseResourcePath, RESOURCES, type ResourceType } from './resources';
import { failure, ObjectStore, type Answer, type Json } from './store';

/** One request the fake received, and how it ended. */
export interface FakeKubeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** The HTTP status sent, or 'dropped' when the socket was destroyed instead. */
  outcome: number | 'dropped';
  /** Which fault rule decided the outcome, if one did. */
  faultRule?: number;
}

export interface FakeKubeOptions {
  faults?: FaultOptions;
  /** The bearer token requests must carry; the written kubeconfig carries it. */
  token?: string;
  /**
   * There is no kubelet: Jobs never run. This says what reading a Job reports instead: `succeed` (one pod
   * succeeded), `fail` (pods failed past any backoff limit, condition Failed) or `pending` (no status; default).
   * `manual`: each Job is pending until the test, playing the kubelet, ends it with `completeJob`.
   */
  jobs?: JobOutcome | 'manual';
  /** Called (after the answer is sent) with a copy of each Job the fake creates: where a test runs its pod. */
  onJobCreated?: (job: Json) => void;
}

export type JobOutcome = 'succeed' | 'fail' | 'pending';

export interface FakeKube {
  url: string;
  kubeconfigPath: string;
  /** Copies of every stored object, optionally of one kind. */
  objects(kind?: string): Json[];
  /** A copy of one stored object (without copying the rest, for callers that look often). */
  object(kind: string, namespace: string | undefined, name: string): Json | undefined;
  setFaults(faults: FaultOptions): void;
  setJobOutcome(outcome: JobOutcome | 'manual'): void;
  /**
   * In `manual` mode: what the Job controller reports from now on for this Job (until it is deleted), and its
   * pod as the kubelet left it, terminated (with `report.message` as the container's termination message).
   */
  completeJob(namespace: string, name: string, outcome: 'succeed' | 'fail', report?: JobPodReport): void;
  calls(): FakeKubeCall[];
  close(): Promise<void>;
}

const JOB_TYPE = RESOURCES.find((type) => type.kind === 'Job') as ResourceType;

const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/**
 * A Kubernetes API server in miniature for tests: a real HTTP server on 127.0.0.1, speaking discovery and
 * CRUD for the kinds our manifests use, with faults injected per rule (latency, error statuses, dropped
 * connections), drawn from a seeded generator so a failing test fails the same way again.
 */
export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const store = new ObjectStore();
  const token = options.token ?? 'fake-kube-token';
  const log: FakeKubeCall[] = [];
  let plan = new FaultPlan(options.faults);
  let jobOutcome: JobOutcome | 'manual' = options.jobs ?? 'pending';
  // Manual outcomes by uid: a Job deleted and made again under the same name starts pending.
  const manualOutcomes = new Map<string, JobOutcome>();
  // Ends injected waits when the server closes, so a long latency never holds the test process open.
  const closing = new AbortController();

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, failure(500, 'InternalError', String(error)));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake-kube');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const call: FakeKubeCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: request.headers['content-type'],
      outcome: 0,
    };
    log.push(call);
    const discovered = method === 'GET' ? discovery(url.pathname) : undefined;
    const decision = plan.decide(method, url.pathname, discovered !== undefined);
    call.faultRule = decision.rule;
    if (decision.latencyMs > 0) {
      await sleep(decision.latencyMs, undefined, { signal: closing.signal }).catch(() => undefined);
      if (closing.signal.aborted) return drop(request, call);
    }
    if (decision.drop === 'before') return drop(request, call);
    let answer: Answer;
    if (request.headers.authorization !== `Bearer ${token}`) {
      answer = failure(401, 'Unauthorized', 'Unauthorized');
    } else if (decision.status !== undefined) {
      answer = injected(decision.status);
    } else if (discovered !== undefined) {
      answer = { status: 200, body: discovered };
    } else {
      answer = serve(method, url, call.contentType, text);
    }
    if (decision.drop === 'after') return drop(request, call);
    call.outcome = answer.status;
    send(response, answer);
    const created = answer.body as { kind?: unknown };
    if (answer.status === 201 && created.kind === 'Job' && options.onJobCreated) {
      const listener = options.onJobCreated;
      const job = structuredClone(answer.body) as Json;
      setImmediate(() => listener(job));
    }
  }

  const outcomeOf = (job: Answer): JobOutcome => {
    if (jobOutcome !== 'manual') return jobOutcome;
    const uid = (job.body as { metadata?: { uid?: unknown } }).metadata?.uid;
    return manualOutcomes.get(String(uid)) ?? 'pending';
  };

  function serve(method: string, url: URL, contentType: string | undefined, text: string): Answer {
    const target = parseResourcePath(url.pathname);
    if (!target) return failure(404, 'NotFound', 'the server could not find the requested resource');
    const { type, namespace, name } = target;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Our clients send JSON (valid YAML too); a YAML-only body is outside the subset the fake speaks.
      return failure(400, 'BadRequest', 'the fake API server reads JSON bodies only');
    }
    if (name === undefined) {
      if (method === 'GET') return store.list(type, namespace, url.searchParams.get('labelSelector'));
      if (method === 'POST') return store.create(type, namespace, body);
      return failure(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
    }
    switch (method) {
      case 'GET': {
        const found = store.get(type, namespace, name);
        return withJobStatus(found, type.kind, type.kind === 'Job' ? outcomeOf(found) : 'pending');
      }
      case 'PUT':
        return store.replace(type, namespace, name, body);
      case 'DELETE': {
        const answer = store.delete(type, namespace, name);
        if (type.kind === 'Job' && answer.status === 200)
          deleteJobPods(store, namespace, answer.body as Json);
        return answer;
      }
      case 'PATCH': {
        const patchType = (contentType ?? '').split(';')[0].trim();
        if (!PATCH_TYPES.includes(patchType)) {
          return failure(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format: ${patchType}`,
          );
        }
        if (patchType !== 'application/apply-patch+yaml') return store.patch(type, namespace, name, body);
        if (!url.searchParams.get('fieldManager')) {
          return failure(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          );
        }
        return store.apply(type, namespace, name, body);
      }
      default:
        return failure(405, 'MethodNotAllowed', `${method} is not allowed`);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'fake-kube-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfig(url, token), { mode: 0o600 });

  return {
    url,
    kubeconfigPath,
    objects: (kind) => store.all().filter((object) => kind === undefined || object.kind === kind),
    object: (kind, namespace, name) => {
      const type = RESOURCES.find((resource) => resource.kind === kind);
      const answer = type ? store.get(type, namespace, name) : undefined;
      return answer?.status === 200 ? (answer.body as Json) : undefined;
    },
    setFaults: (faults) => {
      plan = new FaultPlan(faults);
    },
    setJobOutcome: (outcome) => {
      jobOutcome = outcome;
    },
    completeJob: (namespace, name, outcome, report) => {
      const job = store.get(JOB_TYPE, namespace, name);
      if (job.status !== 200) throw new Error(`no Job ${namespace}/${name} to complete`);
      manualOutcomes.set(String((job.body as { metadata: { uid: unknown } }).metadata.uid), outcome);
      recordJobPod(store, job.body as Json, outcome, report);
    },
    calls: () => log.map((call) => ({ ...call })),
    close: async () => {
      if (!server.listening) return;
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What a kubelet and the Job controller would have written by now, reported on read and never stored. */
function withJobStatus(answer: Answer, kind: string, outcome: JobOutcome): Answer {
  if (kind === 'ResourceQuota' && answer.status === 200) {
    // The quota controller fills status.hard within moments of a quota's creation.
    const body = answer.body as { spec?: { hard?: unknown } };
    return {
      ...answer,
      body: { ...(answer.body as object), status: { hard: body.spec?.hard ?? {}, used: {} } },
    };
  }
  if (kind !== 'Job' || answer.status !== 200 || outcome === 'pending') return answer;
  const status =
    outcome === 'succeed'
      ? { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }
      : { failed: 99, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] };
  return { ...answer, body: { ...(answer.body as Record<string, unknown>), status } };
}

function injected(status: number): Answer {
  if (status === 409) {
    return failure(
      409,
      'Conflict',
      'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  if (status === 422) return failure(422, 'Invalid', 'injected: spec: Invalid value');
  if (status === 429)
    return failure(429, 'TooManyRequests', 'injected: too many requests, please try again later');
  if (status === 503)
    return failure(
      503,
      'ServiceUnavailable',
      'injected: the server is currently unable to handle the request',
    );
  return failure(
    status,
    'InternalError',
    'injected: an error on the server has prevented the request from succeeding',
  );
}

function drop(request: IncomingMessage, call: FakeKubeCall): void {
  call.outcome = 'dropped';
  request.socket.destroy();
}

function send(response: ServerResponse, answer: Answer): void {
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON is YAML, so the client reads this as any kubeconfig. */
function kubeconfig(server: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // The client refuses plain http unless TLS verification is off; there is no TLS to verify here.
    clusters: [{ name: 'fake', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'fake', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'default' } }],
    'current-context': 'fake',
  });
}
