import { LeasedRateBudget, type FetchLease } from './leased-rate-budget';

/** The Redis script's arithmetic in memory (the storage's own test runs the real script on Redis). */
function sharedCounter(clock: () => number) {
  const windows = new Map<string, { hits: number; endsAt: number; blockedUntil: number }>();
  const calls: number[] = [];
  const fetch: FetchLease = async (key, ttl, limit, blockDuration, size) => {
    calls.push(size);
    await Promise.resolve();
    const now = clock();
    let window = windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: window?.blockedUntil ?? 0 };
      windows.set(key, window);
    }
    window.hits += size;
    const windowMs = window.endsAt - now;
    if (window.blockedUntil > now) {
      return { hits: window.hits, windowMs, blocked: true, blockMs: window.blockedUntil - now };
    }
    if (window.hits - size + 1 > limit) {
      const block = blockDuration > 0 ? blockDuration : ttl;
      window.blockedUntil = now + block;
      return { hits: window.hits, windowMs, blocked: true, blockMs: block };
    }
    return { hits: window.hits, windowMs, blocked: false, blockMs: 0 };
  };
  return { fetch, calls };
}

describe('LeasedRateBudget', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('asks the shared counter for one hit per request when requests are far apart', async () => {
    const counter = sharedCounter(clock);
    const budget = new LeasedRateBudget(counter.fetch, clock);
    const hits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      hits.push((await budget.increment('k', 60_000, 100, 0)).totalHits);
      now += 1_000;
    }
    expect(hits).toEqual([1, 2, 3, 4, 5]);
    expect(counter.calls).toEqual([1, 1, 1, 1, 1]);
  });

  it('leases more hits to a busy client, numbering every hit once', async () => {
    const counter = sharedCounter(clock);
    const budget = new LeasedRateBudget(counter.fetch, clock);
    const hits: number[] = [];
    for (let i = 0; i < 1_000; i += 1)
      hits.push((await budget.increment('k', 60_000, 1_000_000, 0)).totalHits);
    expect(hits).toEqual(Array.from({ length: 1_000 }, (_, n) => n + 1));
    expect(counter.calls.length).toBeLessThan(25);
    expect(Math.max(...counter.calls)).toBe(64);
  });

  it('shares one fetch among requests that arrive together', async () => {
    const counter = sharedCounter(clock);
    const budget = new LeasedRateBudget(counter.fetch, clock);
    const counts = await Promise.all(
      Array.from({ length: 50 }, () => budget.increment('k', 60_000, 1_000, 0)),
    );
    expect(counts.map((c) => c.totalHits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, n) => n + 1),
    );
    expect(counter.calls.length).toBeLessThan(10);
  });

  it('never grants more than the limit across replicas sharing the counter', async () => {
    const counter = sharedCounter(clock);
    const replicas = [new LeasedRateBudget(counter.fetch, clock), new LeasedRateBudget(counter.fetch, clock)];
    let allowed = 0;
    for (let i = 0; i < 600; i += 1) {
      const count = await replicas[i % 2].increment('k', 60_000, 250, 0);
      if (!count.isBlocked) allowed += 1;
    }
    expect(allowed).toBe(250);
  });

  it('refuses a blocked client without asking again until the block ends, then counts afresh', async () => {
    const counter = sharedCounter(clock);
    const budget = new LeasedRateBudget(counter.fetch, clock);
    const blocked: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      blocked.push((await budget.increment('k', 60_000, 3, 30_000)).isBlocked);
      now += 1_000;
    }
    expect(blocked).toEqual([false, false, false, true]);
    const asked = counter.calls.length;
    const refused = await budget.increment('k', 60_000, 3, 30_000);
    expect(refused).toMatchObject({ isBlocked: true, timeToBlockExpire: 29 });
    expect(counter.calls.length).toBe(asked);

    now += 60_000;
    expect(await budget.increment('k', 60_000, 3, 30_000)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('drops a lease when its window ends', async () => {
    const counter = sharedCounter(clock);
    const budget = new LeasedRateBudget(counter.fetch, clock);
    for (let i = 0; i < 20; i += 1) await budget.increment('k', 1_000, 1_000, 0);
    now += 1_001;
    expect((await budget.increment('k', 1_000, 1_000, 0)).totalHits).toBe(1);
    expect(counter.calls.at(-1)).toBe(1);
  });
});
