import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeKube } from '@tre/testing';
import { LOADER_COMMAND, WORKSPACE_OBJECT_NAMES } from '@tre/workspaces';
import { runWorkspaceLoad } from '../../apps/cli/src/commands/workspace-load.command';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

interface LoaderJob {
  metadata: { name: string; namespace: string };
  spec: {
    template: {
      spec: {
        containers: {
          command: string[];
          env: EnvVar[];
          volumeMounts: { name: string; mountPath: string }[];
        }[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
}

/** One run of a loader Job's pod, as the stand-in kubelet ran it. */
export interface PodRun {
  namespace: string;
  job: string;
  /** The container's environment as the kubelet resolved it (the token read from its Secret). */
  env: Record<string, string>;
  /** The temp directory standing for the data volume. */
  volume: string;
  output: string[];
  error?: unknown;
  /** What the container left in its termination log, which the kubelet reports as its termination message. */
  terminationMessage?: string;
}

/**
 * Plays the kubelet for loader Jobs stored in a fake Kubernetes API in `manual` job mode: resolves the
 * container's env as Kubernetes would (the token from the stored Secret), mounts a temp directory where the
 * data volume goes, runs the real `tre workspace load` command function with a termination log (a file the
 * kubelet would mount at /dev/termination-log), and ends the Job with its outcome and that message.
 * Wire it with `startFakeKube({ jobs: 'manual', onJobCreated: (job) => void kubelet.run(job) })`.
 */
export class LoaderKubelet {
  readonly pods: PodRun[] = [];
  fake?: FakeKube;
  /** Runs after the pod's env is resolved and before the loader starts (a test's tampering or delay). */
  beforeLoad: (env: Record<string, string>) => Promise<void> | void = () => undefined;

  async run(stored: Record<string, unknown>): Promise<void> {
    const fake = this.fake;
    if (!fake) throw new Error('LoaderKubelet: set .fake before a Job is created');
    const job = stored as unknown as LoaderJob;
    const { namespace, name } = job.metadata;
    const [container] = job.spec.template.spec.containers;
    const pod: PodRun = { namespace, job: name, env: {}, volume: '', output: [] };
    this.pods.push(pod);
    let terminationLog: string | undefined;
    try {
      if (container.command.join(' ') !== LOADER_COMMAND.join(' '))
        throw new Error(`not the loader's command: ${container.command.join(' ')}`);
      for (const variable of container.env) pod.env[variable.name] = this.resolve(fake, namespace, variable);
      const dataVolume = job.spec.template.spec.volumes.find(
        (v) => v.persistentVolumeClaim?.claimName === WORKSPACE_OBJECT_NAMES.dataClaim,
      );
      const mount = container.volumeMounts.find((m) => m.name === dataVolume?.name);
      if (!mount || pod.env.TRE_DATA_DIR !== mount.mountPath)
        throw new Error(`TRE_DATA_DIR ${pod.env.TRE_DATA_DIR} is not where the data volume is mounted`);
      pod.volume = mkdtempSync(join(tmpdir(), 'tre-ws-data-volume-'));
      terminationLog = join(mkdtempSync(join(tmpdir(), 'tre-ws-termination-')), 'termination-log');
      writeFileSync(terminationLog, '');
      await this.beforeLoad(pod.env);
      await runWorkspaceLoad({ ...pod.env, TRE_DATA_DIR: pod.volume }, (line) => pod.output.push(line), {
        attempts: 2,
        backoffMs: 10,
        terminationLogPath: terminationLog,
      });
      fake.completeJob(namespace, name, 'succeed');
    } catch (error: unknown) {
      pod.error = error;
      pod.terminationMessage = terminationLog ? readFileSync(terminationLog, 'utf8') : undefined;
      fake.completeJob(namespace, name, 'fail', { message: pod.terminationMessage });
    }
  }

  podsIn(namespace: string): PodRun[] {
    return this.pods.filter((pod) => pod.namespace === namespace);
  }

  private resolve(fake: FakeKube, namespace: string, variable: EnvVar): string {
    return resolveEnvVar(fake, namespace, variable);
  }
}

/** A container's env var as the kubelet resolves it: a value, or a key of a Secret stored in the fake. */
export function resolveEnvVar(fake: FakeKube, namespace: string, variable: EnvVar): string {
  if (!variable.valueFrom) return variable.value ?? '';
  const { name, key } = variable.valueFrom.secretKeyRef;
  const secret = fake.objects('Secret').find((s) => {
    const metadata = s.metadata as { name: string; namespace: string };
    return metadata.name === name && metadata.namespace === namespace;
  });
  const value = (secret?.data as Record<string, string> | undefined)?.[key];
  // The kubelet would not start the container at all.
  if (!value) throw new Error(`CreateContainerConfigError: secret "${name}" has no key "${key}"`);
  return Buffer.from(value, 'base64').toString('utf8');
}
