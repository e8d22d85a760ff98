import { RESOURCES, type ResourceType } from './resources';
import { isRecord, type Json, type ObjectStore } from './store';

const POD_TYPE = RESOURCES.find((type) => type.kind === 'Pod') as ResourceType;

/** What the kubelet reports of a Job's pod when it ends; `message` is the container's termination message. */
export interface JobPodReport {
  message?: string;
}

/**
 * Stores (or updates) the one pod the fake shows for a Job once a test has ended it: labelled as the Job
 * controller labels its pods (the template's labels, `job-name`, `controller-uid`), with the terminated
 * state a kubelet would write, so a client reading why a Job failed finds what a cluster would show.
 */
export function recordJobPod(
  store: ObjectStore,
  job: Json,
  outcome: 'succeed' | 'fail',
  report: JobPodReport = {},
): void {
  const metadata = job.metadata as { name: string; namespace: string; uid: string };
  const template = (isRecord(job.spec) && isRecord(job.spec.template) ? job.spec.template : {}) as {
    metadata?: { labels?: Record<string, string> };
    spec?: { containers?: { name?: string }[] };
  };
  const name = `${metadata.name}-${metadata.uid.slice(0, 5)}`;
  const failed = outcome === 'fail';
  const terminated: Json = {
    exitCode: failed ? 1 : 0,
    reason: failed ? 'Error' : 'Completed',
    finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  if (report.message !== undefined) terminated.message = report.message;
  const pod: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: metadata.namespace,
      labels: {
        ...template.metadata?.labels,
        'job-name': metadata.name,
        'batch.kubernetes.io/job-name': metadata.name,
        'controller-uid': metadata.uid,
      },
    },
    spec: { restartPolicy: 'Never', containers: template.spec?.containers ?? [] },
    status: {
      phase: failed ? 'Failed' : 'Succeeded',
      containerStatuses: (template.spec?.containers ?? [{ name: 'main' }]).map((container) => ({
        name: container.name ?? 'main',
        state: { terminated },
      })),
    },
  };
  const answer = store.apply(POD_TYPE, metadata.namespace, name, pod);
  if (answer.status >= 300) throw new Error(`cannot store the pod of Job ${metadata.name}: ${answer.status}`);
}

/** The garbage collector's part: a deleted Job's pods go with it. */
export function deleteJobPods(store: ObjectStore, namespace: string | undefined, job: Json): void {
  const uid = (job.metadata as { uid?: unknown } | undefined)?.uid;
  if (typeof uid !== 'string') return;
  const pods = store.list(POD_TYPE, namespace, `controller-uid=${uid}`).body as { items: Json[] };
  for (const pod of pods.items) {
    store.delete(POD_TYPE, namespace, String((pod.metadata as { name: string }).name));
  }
}
