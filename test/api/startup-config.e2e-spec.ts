import { Test } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** A bad setting stops start-up before anything connects, with a message naming it. */
describe('start-up with bad configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    ['api', AppModule],
    ['worker', WorkerModule],
  ])('the %s refuses to start and says which setting is wrong and why', async (_, module) => {
    process.env.REDIS_URL = 'http://127.0.0.1:6379';
    process.env.WORKER_CONCURRENCY = 'lots';
    await expect(Test.createTestingModule({ imports: [module] }).compile()).rejects.toThrow(
      /REDIS_URL must use redis: or rediss:, got "http:"[\s\S]*WORKER_CONCURRENCY must be a positive whole number, got "lots"/,
    );
  });
});
