import { ClusterError } from '../cluster/cluster-error';
import { pendingStep, type WorkspaceStep } from '../lifecycle/workspace-state';
import {
  OperationSuperseded,
  StepFailed,
  StepNotYet,
  StepRetryLater,
  runSteps,
  type StepDefinition,
  type StepJournal,
} from './step-runner';

class MemoryJournal implements StepJournal {
  readonly history: string[] = [];
  constructor(readonly recorded: WorkspaceStep[]) {}
  steps() {
    return Promise.resolve(this.recorded.map((s) => ({ ...s })));
  }
  update(index: number, patch: Partial<WorkspaceStep>) {
    this.recorded[index] = { ...this.recorded[index], ...patch };
    if (patch.state) this.history.push(`${this.recorded[index].name}:${patch.state}`);
    return Promise.resolve();
  }
}

const fast = { quickRetries: 2, quickRetryDelayMs: 1 };
const attempt = (n: number, max = 5) => ({ attempt: n, maxAttempts: max, retryDelaySeconds: 5 });

function journalFor(names: string[]): MemoryJournal {
  return new MemoryJournal(names.map(pendingStep));
}

function step(name: string, run: () => Promise<unknown>): StepDefinition<unknown> {
  return { name, run: async () => (await run()) as void };
}

describe('runSteps', () => {
  it('runs the steps in order and records each as running then done, with attempts and times', async () => {
    const order: string[] = [];
    const journal = journalFor(['a', 'b']);
    await runSteps(
      [step('a', async () => void order.push('a')), step('b', async () => ({ note: 'made 2' }))],
      journal,
      {},
      attempt(1),
      fast,
    );
    expect(order).toEqual(['a']);
    expect(journal.history).toEqual(['a:running', 'a:done', 'b:running', 'b:done']);
    expect(journal.recorded[1]).toMatchObject({ state: 'done', attempts: 1, note: 'made 2', error: null });
    expect(journal.recorded[0].startedAt).not.toBeNull();
    expect(journal.recorded[0].finishedAt).not.toBeNull();
  });

  it('skips what an earlier run finished and reruns the step a dead worker left running', async () => {
    const journal = journalFor(['a', 'b', 'c']);
    journal.recorded[0] = { ...journal.recorded[0], state: 'done', attempts: 1 };
    journal.recorded[1] = { ...journal.recorded[1], state: 'running', attempts: 1 };
    const ran: string[] = [];
    const record = (name: string) => step(name, async () => void ran.push(name));
    await runSteps([record('a'), record('b'), record('c')], journal, {}, attempt(2), fast);
    expect(ran).toEqual(['b', 'c']);
    expect(journal.recorded[1]).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('records a skipped step with its reason', async () => {
    const journal = journalFor(['load']);
    await runSteps([step('load', async () => ({ skipped: 'no cluster attached' }))], journal, {}, attempt(1));
    expect(journal.recorded[0]).toMatchObject({ state: 'skipped', note: 'no cluster attached' });
  });

  it('retries a blip at once and succeeds without troubling the queue', async () => {
    let calls = 0;
    const journal = journalFor(['a']);
    await runSteps(
      [
        step('a', async () => {
          if (++calls < 3) throw new ClusterError('transient', 'ECONNRESET', 'dropped');
        }),
      ],
      journal,
      {},
      attempt(1),
      fast,
    );
    expect(calls).toBe(3);
    expect(journal.recorded[0]).toMatchObject({ state: 'done', attempts: 3, error: null });
  });

  it('leaves a persisting transient error pending with its error and next retry, for the queue to retry', async () => {
    const journal = journalFor(['a', 'b']);
    const before = Date.now();
    await expect(
      runSteps(
        [
          step('a', async () => {
            throw new ClusterError('transient', 'InternalError', 'apply: 500 InternalError');
          }),
          step('b', async () => undefined),
        ],
        journal,
        {},
        attempt(2),
        fast,
      ),
    ).rejects.toBeInstanceOf(StepRetryLater);
    const [a, b] = journal.recorded;
    expect(a).toMatchObject({ state: 'pending', attempts: 3, error: 'apply: 500 InternalError' });
    // Attempt 2 failed: the backoff is 5 s doubled once.
    const retryAt = Date.parse(a.nextRetryAt ?? '');
    expect(retryAt - before).toBeGreaterThanOrEqual(10_000);
    expect(retryAt - before).toBeLessThan(11_000);
    expect(b.state).toBe('pending');
  });

  it('fails the step at once on a permanent error, and on the last attempt of a transient one', async () => {
    const permanent = journalFor(['a']);
    await expect(
      runSteps(
        [step('a', () => Promise.reject(new ClusterError('permanent', 'Invalid', 'apply: 422 Invalid')))],
        permanent,
        {},
        attempt(1),
        fast,
      ),
    ).rejects.toBeInstanceOf(StepFailed);
    expect(permanent.recorded[0]).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: 'apply: 422 Invalid',
    });

    const last = journalFor(['a']);
    await expect(
      runSteps(
        [step('a', () => Promise.reject(new StepNotYet('quota not in force')))],
        last,
        {},
        attempt(5, 5),
        fast,
      ),
    ).rejects.toBeInstanceOf(StepFailed);
    // A wait that timed out is not retried at once: it already waited its whole bound.
    expect(last.recorded[0]).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: 'quota not in force (last attempt)',
    });
  });

  it('stops without recording a failure when the operation was superseded', async () => {
    const journal = journalFor(['a']);
    await expect(
      runSteps(
        [step('a', () => Promise.reject(new OperationSuperseded('torn down')))],
        journal,
        {},
        attempt(1),
        fast,
      ),
    ).rejects.toBeInstanceOf(OperationSuperseded);
    expect(journal.recorded[0].state).toBe('running');
  });
});
