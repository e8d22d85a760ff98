import { Injectable, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerGenerateKeyFunction,
  type ThrottlerGetTrackerFunction,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import { normalizeIp } from '@nestjs/throttler/dist/ip';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_KEY_GENERATOR,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TRACKER,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import { PerRoute } from '@tre/core';

type Resolvable<T> = ThrottlerOptions['limit'] | T;

/** One throttler's settings for one route, as its decorators and the module's options make them. */
interface RouteThrottle {
  readonly throttler: ThrottlerOptions;
  readonly skip: boolean;
  readonly limit: Resolvable<number>;
  readonly ttl: Resolvable<number>;
  readonly blockDuration: Resolvable<number> | undefined;
  readonly getTracker: ThrottlerGetTrackerFunction;
  readonly generateKey: ThrottlerGenerateKeyFunction;
}

/** Distinct client addresses whose normalised form is kept; past it the memo starts again. */
const MAX_TRACKERS = 10_000;

/**
 * @nestjs/throttler's guard, deciding exactly as it does (the same throttlers, skips, limits, keys, storage,
 * headers and refusals), without repeating per request what cannot change between requests: a route's
 * @Throttle/@SkipThrottle metadata (five look-ups on the handler and its class for each throttler, every
 * request) is read once per route, a limit or window given as a number is not awaited, and a client address is
 * normalised once (the server listens on both stacks, so every IPv4 client is `::ffff:a.b.c.d`, taken apart
 * and put back together each time). What may vary per request still runs per request: `skipIf`, a limit given
 * as a function, the tracker's `req.ip`, the key, the count.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly routes = new PerRoute<readonly RouteThrottle[]>((handler, classRef) =>
    this.readThrottles(handler, classRef),
  );
  private readonly trackers = new Map<string, string>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    let allowed = true;
    for (const route of this.routes.of(context)) {
      const skipIf = route.throttler.skipIf ?? this.commonOptions.skipIf;
      if (route.skip || skipIf?.(context)) continue;
      const name = route.throttler.name ?? 'default';
      const { limit: l, ttl: t, blockDuration: b } = route;
      const limit = toNumber(typeof l === 'function' ? await resolved(context, l) : l, 'limit', name);
      const ttl = toNumber(typeof t === 'function' ? await resolved(context, t) : t, 'ttl', name);
      const block = b ?? ttl;
      const blockDuration = toNumber(
        typeof block === 'function' ? await resolved(context, block) : block,
        'blockDuration',
        name,
      );
      // Every throttler is asked (each counts the request), as the base guard does, before the answer.
      const continues = await this.handleRequest({
        context,
        limit,
        ttl,
        throttler: route.throttler,
        blockDuration,
        getTracker: route.getTracker,
        generateKey: route.generateKey,
      });
      allowed &&= continues;
    }
    return allowed;
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = req.ip as string;
    let tracker = this.trackers.get(ip);
    if (tracker === undefined) {
      tracker = normalizeIp(ip, this.ipv6SubnetPrefix);
      if (this.trackers.size >= MAX_TRACKERS) this.trackers.clear();
      if (typeof ip === 'string') this.trackers.set(ip, tracker);
    }
    return Promise.resolve(tracker);
  }

  /** The route's settings for each throttler, read from its metadata the first time the route is asked. */
  private readThrottles(handler: object, classRef: object): readonly RouteThrottle[] {
    const targets = [handler, classRef] as never[];
    const meta = <T>(key: string, name: string): T | undefined =>
      this.reflector.getAllAndOverride<T | undefined>(`${key}${name}`, targets);
    return this.throttlers.map((throttler) => {
      const name = throttler.name ?? 'default';
      return {
        throttler,
        skip: Boolean(meta<boolean>(THROTTLER_SKIP, name)),
        limit: meta<Resolvable<number>>(THROTTLER_LIMIT, name) ?? throttler.limit,
        ttl: meta<Resolvable<number>>(THROTTLER_TTL, name) ?? throttler.ttl,
        blockDuration: meta<Resolvable<number>>(THROTTLER_BLOCK_DURATION, name) ?? throttler.blockDuration,
        getTracker:
          meta<ThrottlerGetTrackerFunction>(THROTTLER_TRACKER, name) ??
          throttler.getTracker ??
          this.commonOptions.getTracker!,
        generateKey:
          meta<ThrottlerGenerateKeyFunction>(THROTTLER_KEY_GENERATOR, name) ??
          throttler.generateKey ??
          this.commonOptions.generateKey!,
      };
    });
  }
}

/** A value given as a function is called (and awaited) per request, as the base guard does; a number is not awaited. */
async function resolved<T>(context: ExecutionContext, value: Resolvable<T>): Promise<T> {
  return (value as (c: ExecutionContext) => T | Promise<T>)(context);
}

function toNumber(value: unknown, option: string, throttlerName: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new Error(
      `Invalid "${option}" for the "${throttlerName}" throttler: expected a number, got ${JSON.stringify(value)}.`,
    );
  }
  return number;
}
