// Scenario d, coordinator side: connect → hello → ready → close at a constant
// arrival rate; reports achieved connects and disconnects per second and the
// handshake / ready time percentiles.
import { all, startParts } from '../lib/pool.js';
import { merge, summarize, type LatencySummary } from '../lib/hdr.js';
import type { ChurnReport } from './churn-part.js';

export interface ChurnOptions { rate: number; durationMs: number; parts: number; drainMs: number; tag: string }

export interface ChurnResult {
  rate: number;
  attempted: number;
  connected: number;
  ready: number;
  closed: number;
  failed: number;
  connectsPerSec: number;
  disconnectsPerSec: number;
  handshake: LatencySummary;
  ready_: LatencySummary;
  maxGeneratorLagMs: number;
  firstError?: string;
}

export async function runChurn(server: { url: string; publicKey: string }, opts: ChurnOptions, log: (s: string) => void = () => {}): Promise<ChurnResult> {
  const nParts = Math.max(1, opts.parts);
  const parts = await startParts('churn', Array.from({ length: nParts }, (_, p) => ({ url: server.url, publicKey: server.publicKey, tag: `churn${opts.tag}`, part: p })), opts.parts === 0);
  let reports: ChurnReport[];
  try {
    reports = await all<ChurnReport>(parts, 'churn', { rate: opts.rate / nParts, durationMs: opts.durationMs, startAtMs: Date.now() + 300, drainMs: opts.drainMs });
  } finally {
    await Promise.all(parts.map((p) => p.close()));
  }
  const sum = (k: 'attempted' | 'connected' | 'ready' | 'closed' | 'failed') => reports.reduce((a, r) => a + r[k], 0);
  const hs = merge(reports.map((r) => r.handshake));
  const rd = merge(reports.map((r) => r.ready_));
  const secs = opts.durationMs / 1000;
  const result: ChurnResult = {
    rate: opts.rate, attempted: sum('attempted'), connected: sum('connected'), ready: sum('ready'), closed: sum('closed'), failed: sum('failed'),
    connectsPerSec: Math.round(sum('connected') / secs), disconnectsPerSec: Math.round(sum('closed') / secs),
    handshake: summarize(hs), ready_: summarize(rd), maxGeneratorLagMs: Math.max(...reports.map((r) => r.maxGeneratorLagMs)),
  };
  hs.destroy();
  rd.destroy();
  const firstError = reports.find((r) => r.firstError)?.firstError;
  if (firstError) result.firstError = firstError;
  log(`churn: ${result.connectsPerSec} connects/s, ${result.disconnectsPerSec} disconnects/s, handshake p99 ${result.handshake.p99} ms`);
  return result;
}
