// Visitor drafts stream to the agent (E4) at most once per interval: the first
// keystroke goes at once, later ones are folded and the latest value is sent when
// the interval ends, so the agent always ends up seeing the final draft.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface Throttled<T> {
  (value: T): void;
  /** Drop a pending trailing call (e.g. the draft was just sent as a message). */
  cancel(): void;
}

export function throttle<T>(fn: (value: T) => void, intervalMs: number, timers: Timers = realTimers): Throttled<T> {
  let last = -Infinity;
  let timer: unknown = null;
  let pending: { value: T } | null = null;

  const fire = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = timers.now();
    fn(value);
  };

  const call = (value: T) => {
    pending = { value };
    if (timer !== null) return;
    const wait = last + intervalMs - timers.now();
    if (wait <= 0) fire();
    else timer = timers.setTimeout(fire, wait);
  };
  const throttled = call as Throttled<T>;
  throttled.cancel = () => {
    pending = null;
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
