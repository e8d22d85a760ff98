/** Which calls a fault applies to. Discovery calls are spared unless `discovery` is set. */
export interface CallMatcher {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A substring of the path, or a pattern over it (query string excluded). */
  path?: string | RegExp;
  discovery?: boolean;
}

/**
 * One injected fault. Latency adds to every matching call; the first error or drop rule that fires decides
 * the call's fate. `drop: 'before'` destroys the socket without doing anything; `drop: 'after'` does the work
 * (the object is stored) and then destroys the socket, the case where a retry must find the work done.
 */
export interface FaultRule {
  match?: CallMatcher;
  latencyMs?: number;
  status?: 409 | 422 | 429 | 500 | 503;
  drop?: 'before' | 'after';
  /** Chance that the rule fires on a matching call; 1 when unset. */
  probability?: number;
  /** The rule fires at most this many times, then stays quiet. */
  times?: number;
}

export interface FaultOptions {
  rules: FaultRule[];
  /** Seeds the draws, so a run with the same calls in the same order meets the same faults. */
  seed?: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  drop?: 'before' | 'after';
  rule?: number;
}

/** mulberry32: small, fast and good enough to pick faults reproducibly. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private readonly random: () => number;
  private readonly fired: number[];

  constructor(private readonly options: FaultOptions = { rules: [] }) {
    this.random = prng(options.seed ?? 1);
    this.fired = options.rules.map(() => 0);
  }

  decide(method: string, path: string, isDiscovery: boolean): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    this.options.rules.forEach((rule, index) => {
      if (!matches(rule.match ?? {}, method, path, isDiscovery)) return;
      if (rule.latencyMs) decision.latencyMs += rule.latencyMs;
      if (rule.status === undefined && rule.drop === undefined) return;
      if (decision.status !== undefined || decision.drop !== undefined) return;
      if (rule.times !== undefined && this.fired[index] >= rule.times) return;
      if (this.random() >= (rule.probability ?? 1)) return;
      this.fired[index] += 1;
      decision.rule = index;
      if (rule.drop) decision.drop = rule.drop;
      else decision.status = rule.status;
    });
    return decision;
  }
}

function matches(matcher: CallMatcher, method: string, path: string, isDiscovery: boolean): boolean {
  if (isDiscovery && !matcher.discovery) return false;
  if (matcher.method && matcher.method !== method) return false;
  if (typeof matcher.path === 'string') return path.includes(matcher.path);
  if (matcher.path) return matcher.path.test(path);
  return true;
}
