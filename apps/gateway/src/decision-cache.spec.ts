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
    now += 6_999;
    await cache.get('t', ask);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('refreshes an entry in use in the background, once, and serves the new answer', async () => {
    const cache = new DecisionCache(TTL);
    await cache.get('t', () => Promise.resolve(allow('old')));
    now += 7_500;
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
    now += 7_500;
    const call = pending();
    void cache.get('t', () => call.promise);
    now += 2_500; // the old decision is now exactly TTL old
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
    now += 7_500;
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
    now += 7_500;
    const failed = Promise.reject(new Error('API down'));
    await cache.get('t', () => failed);
    await failed.catch(() => undefined);
    const ask = jest.fn(() => Promise.resolve(allow('new')));
    await expect(cache.get('t', ask)).resolves.toEqual(allow('old'));
    expect(ask).toHaveBeenCalledTimes(1);
  });
});
