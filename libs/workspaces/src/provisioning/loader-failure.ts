import type { ClusterDriver, LiveObject } from '../cluster/cluster-driver';
import { loadFailureReason } from '../loading/load-token';
import { COMPONENT_LABEL } from '../manifests/labels';

/** The Job controller labels each pod with its Job's name; ours add the component. */
export const loaderPodSelector = (jobName: string): string => `${COMPONENT_LABEL}=loader,job-name=${jobName}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Termination {
  message: string;
  finishedAt: string;
}

function terminationsOf(pod: LiveObject): Termination[] {
  const status = isRecord(pod.status) ? pod.status : {};
  const containers = Array.isArray(status.containerStatuses) ? (status.containerStatuses as unknown[]) : [];
  return containers.flatMap((container) => {
    if (!isRecord(container)) return [];
    return [container.state, container.lastState].flatMap((state) => {
      const terminated = isRecord(state) && isRecord(state.terminated) ? state.terminated : undefined;
      const message = typeof terminated?.message === 'string' ? terminated.message.trim() : '';
      if (!message) return [];
      const finishedAt = typeof terminated?.finishedAt === 'string' ? terminated.finishedAt : '';
      return [{ message, finishedAt }];
    });
  });
}

/**
 * Why the loader Job failed, as Kubernetes reports it: the termination message of its most recently ended
 * container (the loader writes one line there; failing that, FallbackToLogsOnError gives the tail of its
 * logs, whose last `tre: ` line is the CLI's error). Undefined when there is none, or the pods cannot be read:
 * the step fails either way, and only its wording depends on this.
 */
export function loaderFailureReason(
  driver: ClusterDriver,
  namespace: string,
  jobName: string,
): Promise<string | undefined> {
  return jobFailureReason(driver, namespace, loaderPodSelector(jobName));
}

/** The same for a collector Job: its pods write their last `tre: ` line the same way. */
export const collectorPodSelector = (jobName: string): string =>
  `${COMPONENT_LABEL}=collector,job-name=${jobName}`;

/** Why a Job's pods (selected by `podSelector`) ended, from their termination messages; token-like text redacted. */
export async function jobFailureReason(
  driver: ClusterDriver,
  namespace: string,
  podSelector: string,
): Promise<string | undefined> {
  let pods: LiveObject[];
  try {
    pods = await driver.listPods(namespace, podSelector);
  } catch {
    return undefined;
  }
  const [latest] = pods
    .flatMap(terminationsOf)
    .sort((a, b) => (a.finishedAt < b.finishedAt ? 1 : a.finishedAt > b.finishedAt ? -1 : 0));
  if (!latest) return undefined;
  const lines = latest.message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const line = lines.findLast((text) => text.startsWith('tre: ')) ?? lines.at(-1) ?? '';
  const reason = loadFailureReason(line.replace(/^tre: /, ''));
  return reason || undefined;
}
