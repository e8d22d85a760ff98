import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeKube } from '@tre/testing';
import { COLLECTOR_COMMAND, OUTPUTS_MOUNT_PATH, WORKSPACE_OBJECT_NAMES } from '@tre/workspaces';
import { runWorkspaceCollect } from '../../apps/cli/src/commands/workspace-collect.command';
import { resolveEnvVar, type EnvVar } from './loader-kubelet';

interface CollectorJob {
  metadata: { name: string; namespace: string; uid: string };
  spec: {
    activeDeadlineSeconds: number;
    template: {
      spec: {
        containers: {
          command: string[];
          env: EnvVar[];
          volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
        }[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string; readOnly?: boolean } }[];
      };
    };
  };
}

/** One run of a collector Job's pod, as the stand-in kubelet ran it. */
export interface CollectorPodRun {
  namespace: string;
  job: string;
  jobUid: string;
  env: Record<string, string>;
  output: string[];
  error?: unknown;
}

/**
 * What the pod does: `collect` runs the real `tre workspace collect` over the namespace's outputs folder (and
 * ends the Job as its exit code would); `crash` ends it failed with a termination message, collecting
 * nothing; `hang` leaves it running past any deadline.
 */
export type CollectorBehaviour = { mode: 'collect' } | { mode: 'crash'; message: string } | { mode: 'hang' };

/**
 * Plays the kubelet for collector Jobs stored in a fake Kubernetes API in `manual` job mode: resolves the
 * container's env as Kubernetes would (the token from the stored Secret), mounts the test's folder where the
 * outputs volume goes (read-only, as the Job asks), and runs the real collector command function against the
 * listening API. Other Jobs (a loader's) are left alone.
 */
export class CollectorKubelet {
  readonly pods: CollectorPodRun[] = [];
  /** The folder standing in for each namespace's outputs volume. */
  readonly volumes = new Map<string, string>();
  behaviour: CollectorBehaviour = { mode: 'collect' };
  fake?: FakeKube;

  volumeOf(namespace: string): string {
    let folder = this.volumes.get(namespace);
    if (!folder) {
      folder = mkdtempSync(join(tmpdir(), 'tre-ws-outputs-volume-'));
      this.volumes.set(namespace, folder);
    }
    return folder;
  }

  async run(stored: Record<string, unknown>): Promise<void> {
    const fake = this.fake;
    if (!fake) throw new Error('CollectorKubelet: set .fake before a Job is created');
    const job = stored as unknown as CollectorJob;
    const [container] = job.spec.template.spec.containers;
    if (container.command.join(' ') !== COLLECTOR_COMMAND.join(' ')) return;
    const { namespace, name, uid } = job.metadata;
    const pod: CollectorPodRun = { namespace, job: name, jobUid: uid, env: {}, output: [] };
    this.pods.push(pod);
    const behaviour = this.behaviour;
    if (behaviour.mode === 'hang') return;
    try {
      for (const variable of container.env) pod.env[variable.name] = resolveEnvVar(fake, namespace, variable);
      const volume = job.spec.template.spec.volumes.find(
        (v) => v.persistentVolumeClaim?.claimName === WORKSPACE_OBJECT_NAMES.outputsClaim,
      );
      const mount = container.volumeMounts.find((m) => m.name === volume?.name);
      if (!mount?.readOnly || pod.env.TRE_OUTPUTS_DIR !== OUTPUTS_MOUNT_PATH)
        throw new Error('the outputs volume is not mounted read-only where TRE_OUTPUTS_DIR says');
      if (behaviour.mode === 'crash') throw new Error(behaviour.message);
      const results = await runWorkspaceCollect(
        { ...pod.env, TRE_OUTPUTS_DIR: this.volumeOf(namespace) },
        (line) => pod.output.push(line),
        { attempts: 6, backoffMs: 50 },
      );
      // `tre workspace collect` exits 1 when any file was refused.
      if (results.some((r) => r.status === 'failed'))
        this.end(fake, pod, 'fail', { message: 'tre: a file was refused' });
      else this.end(fake, pod, 'succeed');
    } catch (error: unknown) {
      pod.error = error;
      const message = error instanceof Error ? error.message : String(error);
      this.end(fake, pod, 'fail', { message: `tre: ${message}` });
    }
  }

  /**
   * Ends the pod's Job, unless the Job was deleted while the pod ran (past its deadline, cleaned up): a real
   * kubelet's pod dies with its Job and reports nothing, so the run is only marked, never thrown out of.
   */
  private end(
    fake: FakeKube,
    pod: CollectorPodRun,
    outcome: 'succeed' | 'fail',
    report?: { message: string },
  ): void {
    try {
      fake.completeJob(pod.namespace, pod.job, outcome, report);
    } catch (error: unknown) {
      pod.error ??= error;
    }
  }
}
