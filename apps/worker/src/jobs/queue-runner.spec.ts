import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { loadConfig } from '@tre/core';
import type { HandlerRegistry } from './handler-registry';
import type { JobHandler } from './job-handler';
import { QueueRunner } from './queue-runner';
import type { WorkerMetrics } from '../health/worker-metrics';

/** The dispatch rules of one attempt: which handler runs, and when the final-failure hook fires. */
describe('QueueRunner attempts', () => {
  const outcomes: string[] = [];
  const metrics = {
    jobAttempts: { inc: ({ outcome }: { outcome: string }) => outcomes.push(outcome) },
  } as unknown as WorkerMetrics;
  const finalFailures: string[] = [];
  let fail: Error | undefined;
  const handler: JobHandler<'audit.verify-chain'> = {
    handle: async () => {
      if (fail) throw fail;
    },
    onFinalFailure: async (_, error) => void finalFailures.push(error.message),
  };
  const registry = {
    handlerFor: (name: string) => (name === 'audit.verify-chain' ? handler : undefined),
  } as HandlerRegistry;
  const runner = new QueueRunner(loadConfig({}), registry, metrics);
  const run = (job: Partial<Job>) =>
    (runner as unknown as { run(job: Job): Promise<void> }).run({
      name: 'audit.verify-chain',
      id: 'j1',
      data: {},
      opts: { attempts: 3 },
      attemptsMade: 0,
      updateProgress: async () => undefined,
      ...job,
    } as Job);

  // Each failed attempt is logged as a warning: kept here and asserted, not printed as if something went wrong.
  let warnings: jest.SpyInstance;
  const warned = (message: string, attempt: number) => [
    expect.objectContaining({
      err: expect.objectContaining({ message }),
      job: 'audit.verify-chain',
      attempt,
    }),
    'Job attempt failed',
  ];

  beforeEach(() => {
    outcomes.length = 0;
    finalFailures.length = 0;
    fail = undefined;
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warnings.mockRestore());

  it('runs the handler of the job', async () => {
    await run({});
    expect(outcomes).toEqual(['completed']);
    expect(warnings).not.toHaveBeenCalled();
  });

  it('leaves early failures to be retried without marking anything failed', async () => {
    fail = new Error('database went away');
    await expect(run({ attemptsMade: 1 })).rejects.toThrow('database went away');
    expect(outcomes).toEqual(['retried']);
    expect(finalFailures).toEqual([]);
    expect(warnings.mock.calls).toEqual([warned('database went away', 2)]);
  });

  it('calls the final-failure hook once the last attempt fails, or at once for an unrecoverable error', async () => {
    fail = new Error('still failing');
    await expect(run({ attemptsMade: 2 })).rejects.toThrow('still failing');
    fail = new UnrecoverableError('bad input');
    await expect(run({ attemptsMade: 0 })).rejects.toThrow('bad input');
    expect(finalFailures).toEqual(['still failing', 'bad input']);
    expect(outcomes).toEqual(['failed', 'failed']);
    expect(warnings.mock.calls).toEqual([warned('still failing', 3), warned('bad input', 1)]);
  });

  it('refuses a job nobody handles as unrecoverable', async () => {
    await expect(run({ name: 'no.such-job' })).rejects.toBeInstanceOf(UnrecoverableError);
    expect(warnings).not.toHaveBeenCalled();
  });
});
