import { loadConfig } from '@tre/core';
import { pendingStep } from '@tre/workspaces';
import { clusterOf, describeWorkspace } from './workspace.command';

describe('tre workspace status', () => {
  it('shows each step with its state, attempts, error and next retry', () => {
    const text = describeWorkspace(
      {
        id: 'w1',
        project_id: 'p1',
        size: 'small',
        tool: 'jupyterlab',
        namespace: 'tre-ws-w1',
        state: 'provisioning',
        operation: 'provision',
        steps: [
          { ...pendingStep('namespace'), state: 'done', attempts: 1, note: 'applied Namespace/tre-ws-w1' },
          {
            ...pendingStep('network-policies'),
            attempts: 3,
            error: 'apply NetworkPolicy: 503 ServiceUnavailable',
            nextRetryAt: '2030-01-01T00:00:05.000Z',
          },
          pendingStep('tool'),
        ],
        failure_reason: null,
        cleanup_pending: false,
        teardown_due_at: null,
      },
      clusterOf(loadConfig({ KUBECONFIG_PATH: '/etc/tre/kubeconfig' })),
    );
    expect(text.split('\n')).toEqual([
      'workspace w1 (project p1): PROVISIONING small/jupyterlab in tre-ws-w1; provision 1/3',
      '  [done   ] namespace  applied Namespace/tre-ws-w1',
      '  [pending] network-policies  3 attempts; error: apply NetworkPolicy: 503 ServiceUnavailable; next retry 2030-01-01T00:00:05.000Z',
      '  [pending] tool',
    ]);
  });

  it('says plainly, under the state, that with no cluster only manifests were written', () => {
    const cluster = clusterOf(loadConfig({ XDG_DATA_HOME: '/srv/data', WORKSPACE_DRIVER: 'manifests' }));
    expect(cluster.cluster).toBe('none');
    const text = describeWorkspace(
      {
        id: 'w1',
        project_id: 'p1',
        size: 'small',
        tool: 'jupyterlab',
        namespace: 'tre-ws-w1',
        state: 'ready',
        operation: 'provision',
        steps: [{ ...pendingStep('namespace'), state: 'done', attempts: 1 }],
        failure_reason: null,
        cleanup_pending: false,
        teardown_due_at: null,
      },
      cluster,
    );
    expect(text.split('\n').slice(0, 2)).toEqual([
      'workspace w1 (project p1): READY small/jupyterlab in tre-ws-w1; provision 1/1',
      '  No cluster attached: only manifests were written; nothing runs and there is no tool to open. (no cluster attached: manifests written to /srv/data/tre/manifests/tre.tre)',
    ]);
  });
});
