// Sliding-window rate limits (failed logins, signups). The interface is async so
// a Redis implementation (sorted set per key) can replace the in-memory one for a
// cluster without touching callers.

export interface RateDecision {
  allowed: boolean;
  /** Seconds until one more event would be allowed; 0 when allowed. */
  retryAfterSec: number;
}

export interface RateLimiter {
  /** Would one more event be allowed now? Records nothing. */
  check(key: string): Promise<RateDecision>;
  /**
   * Atomically: if one more event is allowed, records it and answers allowed;
   * otherwise records nothing. Reserving before slow work (argon2) is what stops
   * a burst of parallel attempts from all passing a check made before any failed.
   */
  consume(key: string): Promise<RateDecision>;
  /** Records one event unconditionally and returns the decision after it. */
  hit(key: string): Promise<RateDecision>;
  /** Takes back the most recent event, e.g. a reserved attempt that succeeded. */
  release(key: string): Promise<void>;
  /** Forgets the key (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

export interface WindowPolicy {
  limit: number;
  windowMs: number;
}

export interface MemoryLimiterOptions extends WindowPolicy {
  now?: () => number;
  /** Most keys kept; the least recently touched key is evicted beyond this. */
  maxKeys?: number;
}

/**
 * Sliding-window log: per key, the timestamps of at most `limit` recent events.
 * Memory is bounded by maxKeys × limit numbers.
 */
export function createMemoryLimiter(opts: MemoryLimiterOptions): RateLimiter {
  const { limit, windowMs } = opts;
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('limit must be >= 1 and windowMs > 0');
  // Map iteration order is insertion order: re-inserting on touch makes it an LRU.
  const events = new Map<string, number[]>();

  const live = (key: string, t: number): number[] => {
    const list = events.get(key);
    if (!list) return [];
    const kept = list.filter((at) => at > t - windowMs);
    if (kept.length === 0) events.delete(key);
    else events.set(key, kept);
    return kept;
  };

  const decide = (list: number[], t: number): RateDecision => {
    if (list.length < limit) return { allowed: true, retryAfterSec: 0 };
    // The oldest counted event leaving the window frees one slot.
    const oldest = list[list.length - limit] ?? t;
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((oldest + windowMs - t) / 1000)) };
  };

  const record = (key: string, t: number): number[] => {
    const list = [...live(key, t), t].slice(-limit);
    events.delete(key);
    events.set(key, list);
    while (events.size > maxKeys) {
      const first = events.keys().next();
      if (first.done) break;
      events.delete(first.value);
    }
    return list;
  };

  return {
    async check(key) {
      const t = now();
      return decide(live(key, t), t);
    },
    async consume(key) {
      const t = now();
      const before = decide(live(key, t), t);
      if (!before.allowed) return before;
      record(key, t);
      return before;
    },
    async hit(key) {
      const t = now();
      return decide(record(key, t), t);
    },
    async release(key) {
      const list = events.get(key);
      if (!list) return;
      list.pop();
      if (list.length === 0) events.delete(key);
    },
    async reset(key) {
      events.delete(key);
    },
  };
}

/** The limiters the auth routes use. */
export interface AuthLimiters {
  /** failed logins per client IP */
  loginIp: RateLimiter;
  /** failed logins per account, keyed `companyId:agentId` */
  loginAccount: RateLimiter;
  /** signup attempts per client IP */
  signupIp: RateLimiter;
}

export const AUTH_LIMITS = {
  loginIp: { limit: 10, windowMs: 15 * 60_000 },
  loginAccount: { limit: 5, windowMs: 15 * 60_000 },
  signupIp: { limit: 5, windowMs: 60 * 60_000 },
} as const satisfies Record<keyof AuthLimiters, WindowPolicy>;

export function createMemoryAuthLimiters(now?: () => number): AuthLimiters {
  return {
    loginIp: createMemoryLimiter({ ...AUTH_LIMITS.loginIp, now }),
    loginAccount: createMemoryLimiter({ ...AUTH_LIMITS.loginAccount, now }),
    signupIp: createMemoryLimiter({ ...AUTH_LIMITS.signupIp, now }),
  };
}

/** The stricter of several decisions: denied if any is, waiting for the longest. */
export function combineDecisions(...ds: RateDecision[]): RateDecision {
  const denied = ds.filter((d) => !d.allowed);
  if (denied.length === 0) return { allowed: true, retryAfterSec: 0 };
  return { allowed: false, retryAfterSec: Math.max(...denied.map((d) => d.retryAfterSec)) };
}
