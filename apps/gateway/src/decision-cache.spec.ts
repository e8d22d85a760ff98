import type { Decision } from './api-client';
import { DecisionCache } from './decision-cache';

const allow = (sessionId: string): Decision => ({
  allow: true,
  session: {
    sessionId,
    workspaceId: 'w',
    projectId: 'p',
    userId: 'u',
    route: { tool: 'jupyterlab', namespace: 'n', service: 's', port: 8888 },
  },
});
const deny: Decision = { allow: false, reason: 'project_suspended' };

/** A call to the API that answers when told to. */
function pending() {
  let answer!: (decision: Decision) => void;
  const promise = new Promise<Decision>((resolve) => (answer = resolve));
  return { promise, answer };
}

describe('DecisionCache', () => {
  const TTL = 10_000;
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks once and reuses the decision until it is due for a refresh', async () => {
    const cache = new DecisionCache(TTL);
    const ask = jest.fn(() => Promise.resolve(allow('a')));
    await cache.get('t', ask);
    now += 4_999; // before the earliest refresh point (half the TTL)
    await cache.get('t', ask);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('refreshes an entry in use in the background, once, and serves the new answer', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += 8_500; // past the latest refresh point (eight tenths of the TTL)
    const call = pending();
    const ask = jest.fn(() => call.promise);
    // Served at once from the old decision, which is still within the TTL.
    await expect(cache.get('t', ask)).resolves.toEqual(allow('old'));
    await expect(cache.get('t', ask)).resolves.toEqual(allow('old'));
    expect(ask).toHaveBeenCalledTimes(1);
    call.answer(deny);
    await call.promise;
    now += 100;
    await expect(cache.get('t', ask)).resolves.toEqual(deny);
  });

  it('never serves a decision past the TTL: waits for the refresh on its way', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += 8_500; // past the latest refresh point (eight tenths of the TTL)
    const call = pending();
    void cache.get('t', () => call.promise);
    now += 1_500; // the old decision is now exactly TTL old
    const late = cache.get('t', () => Promise.resolve(allow('never asked')));
    call.answer(deny);
    await expect(late).resolves.toEqual(deny);
  });

  it('asks again once the TTL has passed without a refresh', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += TTL;
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
  });

  it('does not let a refresh that left before a revocation bring the session back', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += 8_500; // past the latest refresh point (eight tenths of the TTL)
    const call = pending();
    void cache.get('t', () => call.promise);
    cache.forget('t');
    call.answer(allow('stale'));
    await call.promise;
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
  });

  it('keeps the old decision within the TTL when a refresh fails, and tries again later', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += 8_500; // past the latest refresh point (eight tenths of the TTL)
    const failed = Promise.reject(new Error('API down'));
    await cache.get('t', () => failed);
    await failed.catch(() => undefined);
    const ask = jest.fn(() => Promise.resolve(allow('new')));
    await expect(cache.get('t', ask)).resolves.toEqual(allow('old'));
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('spreads the refreshes of sessions that began together over a stretch of the TTL', async () => {
    const cache = new DecisionCache(TTL);
    const tokens = Array.from({ length: 100 }, (_, n) => `t${n}`);
    for (const token of tokens) await cache.get(token, () => Promise.resolve(allow(token)));
    const started = now;
    const refreshedAt = new Map<string, number>();
    // Every session makes a request every 100 ms; note when each one's refresh was asked for.
    for (let step = 0; step <= 90; step++) {
      now = started + step * 100;
      for (const token of tokens)
        await cache.get(token, () => {
          if (!refreshedAt.has(token)) refreshedAt.set(token, now - started);
          return Promise.resolve(allow(token));
        });
    }
    const moments = [...refreshedAt.values()];
    expect(moments).toHaveLength(100);
    expect(Math.min(...moments)).toBeGreaterThanOrEqual(TTL * 0.5);
    expect(Math.max(...moments)).toBeLessThanOrEqual(TTL * 0.8 + 100);
    // One burst would be one or two moments; spread, they fall on many of the thirty 100 ms steps.
    expect(new Set(moments).size).toBeGreaterThanOrEqual(10);
  });
});
