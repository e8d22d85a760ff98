import type { Decision } from './api-client';
import { DecisionCache, FAILED_FOR_MS, type Recheck } from './decision-cache';

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

/** A re-check call to the API that answers when told to. */
function pendingRecheck() {
  let answer!: (results: Recheck[]) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<Recheck[]>((resolve, reject) => ((answer = resolve), (fail = reject)));
  return { promise, answer, fail };
}

describe('DecisionCache', () => {
  const TTL = 10_000;
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks once and reuses the decision for the TTL, never asking from the request path before it ends', async () => {
    const recheck = jest.fn(() => Promise.resolve<Recheck[]>([]));
    const cache = new DecisionCache(TTL, recheck);
    const ask = jest.fn(() => Promise.resolve(allow('a')));
    await cache.get('t', ask);
    now += TTL - 1;
    await cache.get('t', ask);
    expect(ask).toHaveBeenCalledTimes(1);
    expect(recheck).not.toHaveBeenCalled();
  });

  it('re-checks every session in use that is half the TTL old in one call, and keeps them for another TTL', async () => {
    const recheck = jest.fn((ids: string[]) =>
      Promise.resolve(ids.map((sessionId) => ({ sessionId, allow: true }))),
    );
    const cache = new DecisionCache(TTL, recheck);
    for (const token of ['a', 'b', 'idle', 'young']) {
      if (token === 'young') now += 1_000;
      await cache.get(token, () => Promise.resolve(allow(`s-${token}`)));
    }
    now += TTL / 2 - 1_000; // a, b and idle are half the TTL old; young is younger
    for (const token of ['a', 'b', 'young'])
      await cache.get(token, () => Promise.reject(new Error('not asked')));
    await cache.refreshDue();
    expect(recheck).toHaveBeenCalledTimes(1);
    expect(recheck).toHaveBeenCalledWith(['s-a', 's-b']);
    // Past the first decision's TTL, the re-checked sessions are still served without a call; the idle one
    // (not used since its decision) was not re-checked and has expired.
    now += TTL / 2 + 1;
    const ask = jest.fn(() => Promise.resolve(allow('asked')));
    await expect(cache.get('a', ask)).resolves.toEqual(allow('s-a'));
    await expect(cache.get('b', ask)).resolves.toEqual(allow('s-b'));
    expect(ask).not.toHaveBeenCalled();
    await expect(cache.get('idle', ask)).resolves.toEqual(allow('asked'));
  });

  it('drops a session the re-check refuses, tells the gateway, and asks afresh on the next request', async () => {
    const refused = jest.fn();
    const cache = new DecisionCache(
      TTL,
      (ids) =>
        Promise.resolve(ids.map((sessionId) => ({ sessionId, allow: false, reason: 'project_suspended' }))),
      refused,
    );
    await cache.get('t', () => Promise.resolve(allow('s-t')));
    now += TTL / 2;
    await cache.get('t', () => Promise.reject(new Error('not asked')));
    await cache.refreshDue();
    expect(refused).toHaveBeenCalledWith('s-t', 'project_suspended');
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
  });

  it('never serves a decision past the TTL, even while its re-check is on its way', async () => {
    const call = pendingRecheck();
    const cache = new DecisionCache(TTL, () => call.promise);
    await cache.get('t', () => Promise.resolve(allow('s-t')));
    now += TTL / 2;
    await cache.get('t', () => Promise.reject(new Error('not asked')));
    const refreshing = cache.refreshDue();
    now += TTL / 2; // the decision is now exactly TTL old, its re-check unanswered
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
    call.answer([{ sessionId: 's-t', allow: true }]);
    await refreshing;
    // The late answer was for the replaced entry: it does not bring the old decision back.
    await expect(cache.get('t', () => Promise.resolve(allow('never asked')))).resolves.toEqual(deny);
  });

  it('does not let a re-check that left before a revocation bring the session back', async () => {
    const call = pendingRecheck();
    const cache = new DecisionCache(TTL, () => call.promise);
    await cache.get('t', () => Promise.resolve(allow('s-t')));
    now += TTL / 2;
    await cache.get('t', () => Promise.reject(new Error('not asked')));
    const refreshing = cache.refreshDue();
    cache.forget('t');
    call.answer([{ sessionId: 's-t', allow: true }]);
    await refreshing;
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
  });

  it('keeps the old decision within the TTL when a re-check fails, tries again on the next tick, and lets it expire', async () => {
    const recheck = jest.fn(() => Promise.reject<Recheck[]>(new Error('API down')));
    const cache = new DecisionCache(TTL, recheck);
    await cache.get('t', () => Promise.resolve(allow('s-t')));
    now += TTL / 2;
    await cache.get('t', () => Promise.reject(new Error('not asked')));
    await cache.refreshDue();
    await expect(cache.get('t', () => Promise.reject(new Error('not asked')))).resolves.toEqual(allow('s-t'));
    now += cache.tickMs;
    await cache.refreshDue();
    expect(recheck).toHaveBeenCalledTimes(2);
    now += TTL / 2;
    await expect(cache.get('t', () => Promise.resolve(deny))).resolves.toEqual(deny);
  });

  it('shares a failed call with every request for a second (refused, not asked again), then asks again', async () => {
    const cache = new DecisionCache(TTL);
    const down = jest.fn(() => Promise.reject<Decision>(new Error('API down')));
    const failedAt = now;
    for (; now < failedAt + FAILED_FOR_MS; now += 20)
      await expect(cache.get('t', down)).rejects.toThrow('API down');
    expect(down).toHaveBeenCalledTimes(1);
    now = failedAt + FAILED_FOR_MS;
    await expect(cache.get('t', () => Promise.resolve(allow('s-t')))).resolves.toEqual(allow('s-t'));
  });

  it('knows a decision at once only when get would serve it: answered, within the TTL, not failed, not dropped', async () => {
    const call = pendingRecheck();
    const cache = new DecisionCache(TTL, () => call.promise);
    let answer!: (decision: Decision) => void;
    const asked = cache.get('t', () => new Promise<Decision>((resolve) => (answer = resolve)));
    expect(cache.settled('t')).toBeUndefined(); // still with the API
    answer(allow('s-t'));
    await asked;
    expect(cache.settled('t')).toEqual(allow('s-t'));
    // Used only through settled(), the session is still re-checked at half the TTL, and refused by it, gone.
    now += TTL / 2;
    expect(cache.settled('t')).toEqual(allow('s-t'));
    const refreshing = cache.refreshDue();
    call.answer([{ sessionId: 's-t', allow: false, reason: 'project_suspended' }]);
    await refreshing;
    expect(cache.settled('t')).toBeUndefined();

    await cache.get('u', () => Promise.resolve(allow('s-u')));
    now += TTL;
    expect(cache.settled('u')).toBeUndefined(); // expired
    await cache.get('v', () => Promise.resolve(allow('s-v')));
    cache.forget('v');
    expect(cache.settled('v')).toBeUndefined(); // revoked
    await expect(cache.get('w', () => Promise.reject<Decision>(new Error('API down')))).rejects.toThrow();
    expect(cache.settled('w')).toBeUndefined(); // failed: get shares the failure
    await cache.get('x', () => Promise.resolve(deny));
    expect(cache.settled('x')).toEqual(deny); // a refusal is a decision too
  });

  it('re-checks sessions that began together in one call, not one call each', async () => {
    const recheck = jest.fn((ids: string[]) =>
      Promise.resolve(ids.map((sessionId) => ({ sessionId, allow: true }))),
    );
    const cache = new DecisionCache(TTL, recheck);
    const tokens = Array.from({ length: 200 }, (_, n) => `t${n}`);
    const ask = jest.fn((token: string) => Promise.resolve(allow(`s-${token}`)));
    // Every session makes a request every 100 ms for three TTLs; the gateway's timer ticks between them.
    let lastTick = now;
    for (let step = 0; step < (3 * TTL) / 100; step++) {
      now += 100;
      for (const token of tokens) await cache.get(token, () => ask(token));
      if (now - lastTick >= cache.tickMs) {
        lastTick = now;
        await cache.refreshDue();
      }
    }
    expect(ask).toHaveBeenCalledTimes(200);
    // Once every half TTL or so: five or six calls in three TTLs, each naming all 200 sessions.
    expect(recheck.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(recheck.mock.calls.length).toBeLessThanOrEqual(6);
    for (const [ids] of recheck.mock.calls) expect(ids).toHaveLength(200);
  });
});
