// A manual clock for widget unit tests: timers fire only when the test advances time.
import type { Timers } from '../../widget/src/window/throttle.js';

export function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let id = 0;
  const queue = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => { queue.set(++id, { at: now + ms, fn }); return id; },
    clearTimeout: (h) => { queue.delete(h as number); },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | null = null;
        for (const e of queue) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
        if (!next) break;
        queue.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
  };
}

