import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  SkipThrottle,
  Throttle,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { RateLimitGuard } from './rate-limit.guard';

class Plain {
  read(): void {}
}
@SkipThrottle()
class Probe {
  health(): void {}
}
class Tight {
  @Throttle({ default: { limit: 3, ttl: 1_000, blockDuration: 5_000 } })
  write(): void {}
  read(): void {}
}
class Gateway {
  ask(): void {}
}

const options: ThrottlerModuleOptions = {
  throttlers: [
    { name: 'default', ttl: 60_000, limit: 4, skipIf: (c) => c.getClass() === Gateway },
    { name: 'gateway', ttl: 60_000, limit: () => 7, skipIf: (c) => c.getClass() !== Gateway },
  ],
  generateKey: (_context, tracker, name) => `${name}:${tracker}`,
};

/** Everything a guard does to the storage and the response, and what it answers, over the same requests. */
async function decisions(guard: ThrottlerGuard, calls: unknown[]): Promise<unknown[]> {
  await guard.onModuleInit();
  const routes: [new () => object, string][] = [
    [Plain, 'read'],
    [Probe, 'health'],
    [Tight, 'write'],
    [Tight, 'read'],
    [Gateway, 'ask'],
  ];
  const answers: unknown[] = [];
  for (let round = 0; round < 6; round++) {
    for (const [classRef, method] of routes) {
      const headers: unknown[] = [];
      const req = { ip: round % 2 ? '::ffff:10.0.0.1' : '2001:db8::1', headers: {} };
      const res = { header: (name: string, value: unknown) => headers.push([name, value]) };
      const handler = (classRef.prototype as Record<string, () => void>)[method];
      const context = new ExecutionContextHost([req, res], classRef, handler) as ExecutionContext;
      const answer = await guard.canActivate(context).catch((error: Error) => error.message);
      answers.push([classRef.name, method, answer, headers]);
    }
  }
  return [answers, calls];
}

function countingStorage(calls: unknown[]): ThrottlerStorage {
  const hits = new Map<string, number>();
  return {
    increment: (key, ttl, limit, blockDuration, name) => {
      calls.push([key, ttl, limit, blockDuration, name]);
      const totalHits = (hits.get(key) ?? 0) + 1;
      hits.set(key, totalHits);
      const isBlocked = totalHits > limit;
      return Promise.resolve({
        totalHits,
        timeToExpire: 10,
        isBlocked,
        timeToBlockExpire: isBlocked ? 5 : 0,
      });
    },
  };
}

describe('RateLimitGuard', () => {
  it("decides every request exactly as @nestjs/throttler's guard: skips, per-route limits, keys, headers, refusals", async () => {
    const baseCalls: unknown[] = [];
    const ownCalls: unknown[] = [];
    const base = await decisions(
      new ThrottlerGuard(options, countingStorage(baseCalls), new Reflector()),
      baseCalls,
    );
    const own = await decisions(
      new RateLimitGuard(options, countingStorage(ownCalls), new Reflector()),
      ownCalls,
    );
    expect(own).toEqual(base);
    // The comparison covers what it should: a skipped class, a route's own limit, both throttlers, a refusal.
    expect(JSON.stringify(base)).toContain('"Probe","health",true,[]');
    expect(baseCalls).toContainEqual(['default:2001:db8::/64', 1_000, 3, 5_000, 'default']);
    expect(baseCalls).toContainEqual(['gateway:10.0.0.1', 60_000, 7, 60_000, 'gateway']);
    expect(JSON.stringify(base)).toContain('Too Many Requests');
  });
});
