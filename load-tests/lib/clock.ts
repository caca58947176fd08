// One clock for every process of a run: process.hrtime is CLOCK_MONOTONIC, shared
// by all processes on the machine, so a timestamp written into a message by one
// worker can be subtracted by another.
export const nowNs = (): number => Number(process.hrtime.bigint());

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Open-loop schedule: event k is DUE at start + k / rate, whatever happened to
 * earlier events. Callers measure latency from the due time, not from when the
 * generator got round to it, so a stalled server cannot hide its stall
 * (coordinated omission). Bounded: stops after `count` events or `deadlineMs`.
 */
export async function openLoop(opts: { rate: number; count: number; startNs: number; deadlineMs: number; fire(k: number, dueNs: number): void }): Promise<{ fired: number; maxLagMs: number }> {
  const intervalNs = 1e9 / opts.rate;
  const stopAt = opts.startNs + opts.deadlineMs * 1e6;
  let k = 0;
  let maxLagNs = 0;
  const wait = (opts.startNs - nowNs()) / 1e6;
  if (wait > 0) await sleep(wait);
  while (k < opts.count) {
    const now = nowNs();
    if (now > stopAt) break;
    // Fire everything due; the lag is how far behind the generator itself is.
    while (k < opts.count && opts.startNs + k * intervalNs <= now) {
      const due = opts.startNs + k * intervalNs;
      maxLagNs = Math.max(maxLagNs, now - due);
      opts.fire(k, due);
      k++;
    }
    const next = opts.startNs + k * intervalNs;
    const ms = (next - nowNs()) / 1e6;
    // A 1 ms tick, never a setImmediate spin: spinning took more CPU than the server
    // under test (the generators share its cores). Firing up to ~1 ms late is
    // counted in the latency, which runs from the due time.
    await sleep(Math.max(1, Math.floor(ms)));
  }
  return { fired: k, maxLagMs: maxLagNs / 1e6 };
}

/** Polls cond every 10 ms until it is true or timeoutMs passed; returns cond(). */
export async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond() && Date.now() < end) await sleep(10);
  return cond();
}
