import { LocalRateCounter } from './local-rate-counter';

describe('LocalRateCounter (the rate limit while Redis is away)', () => {
  it('counts a fixed window per key, blocks past the limit, and forgets after the block', () => {
    const counter = new LocalRateCounter();
    const at = (ms: number) => counter.increment('a', 60_000, 2, 0, ms);
    expect(at(0)).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
    expect(at(1_000)).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(at(2_000)).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 60 });
    // Another key has its own budget.
    expect(counter.increment('b', 60_000, 2, 0, 2_000)).toMatchObject({ totalHits: 1, isBlocked: false });
    // The block outlives the window it started in; requests during it count in the new window, as in Redis.
    expect(at(61_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect(at(62_001)).toMatchObject({ totalHits: 2, isBlocked: false });
  });
});
