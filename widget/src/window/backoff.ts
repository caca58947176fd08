// B5: reconnect with exponential backoff and "equal jitter", so a server restart
// does not get every visitor back in the same millisecond, yet the first retry is quick.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Delay before reconnect attempt `attempt` (0 = first retry); `rand` in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, rand: () => number = Math.random): number {
  const n = Math.max(0, Math.min(attempt, 30));
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** n);
  const half = cap / 2;
  return Math.round(half + rand() * half);
}
