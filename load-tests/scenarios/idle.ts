// Scenario c, coordinator side: ramps tracked idle visitors in steps and reads the
// server's RSS after each, so RSS per connection is the slope, not the total
// divided by the count. RSS is read after a full GC (the server's /load/memory,
// load-test builds only) so garbage not yet collected does not count as memory per
// connection; /proc is the fallback. The target is capped by the open-files limit
// of the server (each socket is one descriptor) and reported as capped.
import { all, startParts } from '../lib/pool.js';
import { sleep } from '../lib/clock.js';
import { openFilesLimit, rssBytes } from '../lib/proc.js';

export interface IdleOptions { target: number; steps: number; parts: number; stepDeadlineMs: number; tag: string }

export interface IdleStep { connections: number; failed: number; rssMiB: number | null; heapUsedMiB?: number; afterGc: boolean }

export interface IdleResult {
  requested: number;
  target: number;
  cappedBy: string | null;
  steps: IdleStep[];
  baselineRssMiB: number | null;
  /** RSS growth per connection between the first and the last step */
  bytesPerConnection: number | null;
  /** of which the JS heap (after GC), when the server could collect */
  heapBytesPerConnection: number | null;
  /** that slope, times 100,000, plus the baseline */
  projectedRssFor100kMiB: number | null;
  firstError?: string;
}

const MiB = 1024 * 1024;

export async function runIdle(server: { url: string; publicKey: string; pid: number | null }, opts: IdleOptions, log: (s: string) => void = () => {}): Promise<IdleResult> {
  const nParts = Math.max(1, opts.parts);
  const serverLimit = server.pid ? openFilesLimit(server.pid) : Infinity;
  const clientLimit = opts.parts === 0 ? openFilesLimit() : Infinity;
  const limit = Math.min(serverLimit - 500, (clientLimit - 500) * (opts.parts === 0 ? 1 : nParts));
  const target = Math.min(opts.target, limit);
  const cappedBy = target < opts.target ? `open files limit (server ${serverLimit}; cannot be raised without CAP_SYS_RESOURCE)` : null;
  const memory = async (): Promise<{ rss: number | null; heapUsed?: number; afterGc: boolean }> => {
    try {
      const r = await fetch(`${server.url}/load/memory`);
      const m = (await r.json()) as { collected: boolean; rss: number; heapUsed: number };
      if (r.ok && m.collected) return { rss: m.rss, heapUsed: m.heapUsed, afterGc: true };
    } catch { /* not a load-test server: /proc below */ }
    return { rss: server.pid ? rssBytes(server.pid) : null, afterGc: false };
  };
  await sleep(500);
  const base = await memory();
  const baseline = base.rss;
  const parts = await startParts('idle', Array.from({ length: nParts }, (_, p) => ({ url: server.url, publicKey: server.publicKey, tag: `idle${opts.tag}p${p}` })), opts.parts === 0);
  const steps: IdleStep[] = [];
  let firstError: string | undefined;
  try {
    for (let s = 1; s <= opts.steps; s++) {
      const total = Math.round((target * s) / opts.steps);
      const per = (p: number) => Math.floor(total / nParts) + (p < total % nParts ? 1 : 0);
      const res = await all<{ open: number; failed: number; firstError?: string }>(parts, 'ramp', (p: number) => ({ total: per(p), deadlineMs: opts.stepDeadlineMs }));
      firstError ??= res.find((r) => r.firstError)?.firstError;
      await sleep(1000); // let the server settle its allocations before reading RSS
      const m = await memory();
      const r = m.rss;
      const step: IdleStep = {
        connections: res.reduce((a, x) => a + x.open, 0), failed: res.reduce((a, x) => a + x.failed, 0), rssMiB: r === null ? null : Math.round((r / MiB) * 10) / 10,
        ...(m.heapUsed !== undefined ? { heapUsedMiB: Math.round((m.heapUsed / MiB) * 10) / 10 } : {}), afterGc: m.afterGc,
      };
      steps.push(step);
      log(`idle: ${step.connections} open (${step.failed} failed), server RSS ${step.rssMiB} MiB${step.afterGc ? ` after GC, JS heap ${step.heapUsedMiB} MiB` : ''}`);
    }
  } finally {
    await Promise.all(parts.map((p) => p.close()));
  }
  // Slope between the first and the last step: the heap's own growth and GC
  // between "no visitors" and the first step would otherwise blur a small run.
  const first = steps[0];
  const last = steps[steps.length - 1];
  const perConn = first && last && first !== last && first.rssMiB !== null && last.rssMiB !== null && last.connections > first.connections
    ? Math.round(((last.rssMiB - first.rssMiB) * MiB) / (last.connections - first.connections))
    : baseline !== null && last?.rssMiB != null && last.connections > 0 ? Math.round((last.rssMiB * MiB - baseline) / last.connections) : null;
  const result: IdleResult = {
    requested: opts.target, target, cappedBy, steps,
    baselineRssMiB: baseline === null ? null : Math.round((baseline / MiB) * 10) / 10,
    bytesPerConnection: perConn,
    heapBytesPerConnection: first && last && first !== last && first.heapUsedMiB !== undefined && last.heapUsedMiB !== undefined && last.connections > first.connections
      ? Math.round(((last.heapUsedMiB - first.heapUsedMiB) * MiB) / (last.connections - first.connections)) : null,
    projectedRssFor100kMiB: perConn !== null && baseline !== null ? Math.round((baseline + perConn * 100_000) / MiB) : null,
  };
  if (firstError) result.firstError = firstError;
  return result;
}
