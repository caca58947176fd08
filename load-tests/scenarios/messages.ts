// Scenario a, coordinator side: N conversations split over load parts; rates
// stepped up (doubling, then bisecting) to the highest rate the target sustains,
// then a longer phase at half that rate for the latency figures.
import { all, startParts, type PartHandle } from '../lib/pool.js';
import { merge, summarize, type LatencySummary } from '../lib/hdr.js';
import { nowNs } from '../lib/clock.js';
import { startCpuSplit, type CpuPerMessage } from '../lib/cpu-split.js';
import { createLoadCompanies } from '../lib/fixtures.js';
import type { PhaseReport } from './message-stats.js';
import type { MessagesPartInput, PhaseArg } from './messages-part.js';
import { withOwnerSql } from '../lib/owner-sql.js';

/** `pid`: the server process, for the CPU split at half the maximum rate */
export type MessagesTarget =
  | { kind: 'routed'; url: string; ownerUrl: string; pid?: number }
  | { kind: 'echo'; url: string; pid?: number }
  | { kind: 'socketio'; url: string; ownerUrl: string; pid?: number };

export interface MessagesOptions {
  conversations: number;
  /** generator processes; 0 runs in this process */
  parts: number;
  chatsPerAgent: number;
  /** explicit rates (msgs/s, total) instead of the search */
  rates?: number[];
  startRate: number;
  maxRate: number;
  stepMs: number;
  halfMs: number;
  drainMs: number;
  /** a rate is sustained when everything arrives, in order, and p99 stays under this */
  sloP99Ms: number;
  tag: string;
}

export interface PhaseSummary {
  rate: number;
  sent: number;
  delivered: number;
  acked: number;
  achievedPerSec: number;
  errors: number;
  orderViolations: number;
  gaps: number;
  duplicates: number;
  maxGeneratorLagMs: number;
  delivery: LatencySummary;
  ack: LatencySummary;
  sustained: boolean;
  firstError?: string;
  /** at half the maximum: CPU µs per delivered message by process (Linux /proc) */
  cpuUsPerMessage?: CpuPerMessage;
}

export interface MessagesResult {
  target: MessagesTarget['kind'];
  /** monotonic ns from the first phase's start to the last phase's end (profiles are cut to it) */
  spanNs: [number, number];
  conversations: number;
  phases: PhaseSummary[];
  maxSustainedRate: number;
  atHalf: PhaseSummary | null;
  autoAssigned: number;
}

export async function runMessages(target: MessagesTarget, opts: MessagesOptions, log: (s: string) => void = () => {}): Promise<MessagesResult> {
  const nParts = Math.max(1, opts.parts);
  const per = (p: number) => Math.floor(opts.conversations / nParts) + (p < opts.conversations % nParts ? 1 : 0);
  let inputs: MessagesPartInput[];
  if (target.kind === 'routed') {
    const agentsPer = Math.ceil(per(0) / opts.chatsPerAgent);
    const companies = await createLoadCompanies(target.ownerUrl, { companies: nParts, agentsPerCompany: agentsPer, maxChats: opts.chatsPerAgent, tag: opts.tag });
    inputs = companies.map((c, p) => ({
      transport: 'routed', url: target.url, publicKey: c.publicKey, agents: c.agents, conversations: per(p), tag: `lt${opts.tag}p${p}`,
    }));
  } else if (target.kind === 'echo') {
    inputs = Array.from({ length: nParts }, (_, p) => ({ transport: 'echo', url: target.url, conversations: per(p) }));
  } else {
    inputs = Array.from({ length: nParts }, (_, p) => ({ transport: 'socketio', url: target.url, conversations: per(p), tag: `lt${opts.tag}p${p}` }));
  }
  log(`${target.kind}: setting up ${opts.conversations} conversations in ${nParts} part(s)`);
  const parts = await startParts('messages', inputs, opts.parts === 0);
  try {
    // A database made a minute ago has no planner statistics yet; until autovacuum's
    // first ANALYZE, Postgres checks every message's foreign key by walking all of the
    // company's conversations (a plan chosen without statistics). Every target is
    // measured in the steady state a running deployment is in: analyzed after setup.
    if ('ownerUrl' in target) await analyze(target.ownerUrl);
    const infos = await all<{ autoAssigned: number; setupErrors: string[] }>(parts, 'info');
    let phaseNo = 0;
    const phases: PhaseSummary[] = [];
    const spanNs: [number, number] = [0, 0];
    const run = async (rate: number, durationMs: number): Promise<PhaseSummary> => {
      if (spanNs[0] === 0) spanNs[0] = nowNs();
      const s = await runPhase(parts, { phase: ++phaseNo, rate, durationMs, startAtMs: Date.now() + 300, drainMs: opts.drainMs }, opts.sloP99Ms);
      phases.push(s);
      spanNs[1] = nowNs();
      log(`${target.kind}: ${rate}/s → ${s.achievedPerSec}/s delivered ${s.delivered}/${s.sent} p99 ${s.delivery.p99} ms ${s.sustained ? 'ok' : 'NOT sustained'}`);
      return s;
    };
    let maxSustainedRate = 0;
    if (opts.rates) {
      for (const r of opts.rates) if ((await run(r, opts.stepMs)).sustained) maxSustainedRate = Math.max(maxSustainedRate, r);
    } else {
      let good = 0;
      let bad = 0;
      for (let r = opts.startRate; r <= opts.maxRate; r *= 2) {
        if ((await run(r, opts.stepMs)).sustained) good = r; else { bad = r; break; }
      }
      // Two bisection steps between the last good and the first bad rate.
      for (let i = 0; i < 2 && bad > 0 && good > 0; i++) {
        const mid = Math.round((good + bad) / 2);
        if ((await run(mid, opts.stepMs)).sustained) good = mid; else bad = mid;
      }
      maxSustainedRate = good;
    }
    let atHalf: PhaseSummary | null = null;
    if (maxSustainedRate > 0 && opts.halfMs > 0) {
      const cpu = await startCpuSplit({ serverPid: target.pid, generatorPids: parts.flatMap((p) => (p.pid ? [p.pid] : [])), ownerUrl: 'ownerUrl' in target ? target.ownerUrl : undefined });
      atHalf = await run(Math.max(1, Math.round(maxSustainedRate / 2)), opts.halfMs);
      atHalf.cpuUsPerMessage = cpu(atHalf.delivered);
    }
    return { target: target.kind, conversations: opts.conversations, spanNs, phases, maxSustainedRate, atHalf, autoAssigned: infos.reduce((a, i) => a + i.autoAssigned, 0) };
  } finally {
    await Promise.all(parts.map((p) => p.close()));
  }
}

async function runPhase(parts: PartHandle[], arg: PhaseArg, sloP99Ms: number): Promise<PhaseSummary> {
  const rate = arg.rate;
  const reports = await all<PhaseReport>(parts, 'phase', { ...arg, rate: rate / parts.length });
  const sum = (k: keyof PhaseReport) => reports.reduce((a, r) => a + (r[k] as number), 0);
  const dh = merge(reports.map((r) => r.delivery));
  const ah = merge(reports.map((r) => r.ack));
  const delivery = summarize(dh);
  const ack = summarize(ah);
  dh.destroy();
  ah.destroy();
  const s: PhaseSummary = {
    rate, sent: sum('sent'), delivered: sum('delivered'), acked: sum('acked'),
    achievedPerSec: Math.round(sum('delivered') / (arg.durationMs / 1000)),
    errors: sum('errors'), orderViolations: sum('orderViolations'), gaps: sum('gaps'), duplicates: sum('duplicates'),
    maxGeneratorLagMs: Math.round(Math.max(...reports.map((r) => r.maxLagMs))), delivery, ack, sustained: false,
  };
  const firstError = reports.find((r) => r.firstError)?.firstError;
  if (firstError) s.firstError = firstError;
  s.sustained = s.delivered === s.sent && s.errors === 0 && s.orderViolations === 0 && s.gaps === 0 && delivery.p99 <= sloP99Ms;
  return s;
}

async function analyze(ownerUrl: string): Promise<void> {
  await withOwnerSql(ownerUrl, (sql) => sql`analyze`);
}
