import { pendingStep } from '@tre/workspaces';
import { describeWorkspace } from './workspace.command';

describe('tre workspace status', () => {
  it('shows each step with its state, attempts, error and next retry', () => {
    const text = describeWorkspace({
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
    });
    expect(text.split('\n')).toEqual([
      'workspace w1 (project p1): PROVISIONING small/jupyterlab in tre-ws-w1; provision 1/3',
      '  [done   ] namespace  applied Namespace/tre-ws-w1',
      '  [pending] network-policies  3 attempts; error: apply NetworkPolicy: 503 ServiceUnavailable; next retry 2030-01-01T00:00:05.000Z',
      '  [pending] tool',
    ]);
  });
});
