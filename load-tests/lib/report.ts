// The console summary of a run: one table per scenario and the ratios the
// targets are stated in (all from the same run, since absolute figures on a
// shared machine are noise).
import { ratio, table } from './table.js';
import type { MessagesResult, PhaseSummary } from '../scenarios/messages.js';
import type { AssignmentResult } from '../scenarios/assignment.js';
import type { IdleResult } from '../scenarios/idle.js';
import type { ChurnResult } from '../scenarios/churn.js';
import type { ProfileSummary } from './profile.js';

export function printSummary(r: Record<string, any>, out: (s: string) => void): void {
  const m = r.messages as Record<string, MessagesResult> | undefined;
  if (m) {
    out('\n== a. messages (rate = msgs/s offered, total; latency ms from the due time) ==');
    const rows: Array<Array<string | number | null>> = [['target', 'max sustained/s', 'at rate', 'deliv p50', 'p99', 'p99.9', 'ack p50', 'ack p99', 'lost', 'order viol.']];
    for (const [name, res] of Object.entries(m)) {
      const h: PhaseSummary | null = res.atHalf ?? res.phases[res.phases.length - 1] ?? null;
      const lost = res.phases.reduce((a, p) => a + (p.sent - p.delivered), 0);
      const viol = res.phases.reduce((a, p) => a + p.orderViolations + p.gaps, 0);
      rows.push([name, res.maxSustainedRate, h?.rate ?? null, h?.delivery.p50 ?? null, h?.delivery.p99 ?? null, h?.delivery.p999 ?? null,
        res.target === 'echo' ? null : h?.ack.p50 ?? null, res.target === 'echo' ? null : h?.ack.p99 ?? null, lost, viol]);
    }
    out(table(rows));
    const d = m.routedDurable?.maxSustainedRate;
    out(table([
      ['ratio', 'value', 'target'],
      ['routed durable ÷ raw echo', ratio(d, m.echo?.maxSustainedRate), '≥ 0.25'],
      ['routed durable ÷ Socket.IO relay', ratio(d, m.socketIoRelay?.maxSustainedRate), '≥ 10'],
      ['durable ÷ synchronous_commit=off', ratio(d, m.routedAsyncCommit?.maxSustainedRate), '(cost of durability)'],
      ['p99 delivery at half max (ms)', m.routedDurable?.atHalf?.delivery.p99 ?? null, '≤ 25'],
    ]));
    const cpuRows = Object.entries(m).flatMap(([name, res]) => {
      const c = res.atHalf?.cpuUsPerMessage;
      return c ? [[name, res.atHalf!.rate, c.server, c.postgres, c.generators, [c.server, c.postgres, c.generators].reduce<number>((a, x) => a + (x ?? 0), 0)]] : [];
    });
    if (cpuRows.length) {
      out('CPU µs per delivered message at half max, by process (/proc; the generators share the cores):');
      out(table([['target', 'at rate', 'server', 'postgres', 'generators', 'total'], ...cpuRows]));
    }
  }
  const a = r.assignment as AssignmentResult | undefined;
  if (a) {
    out('\n== b. assignment storm ==');
    out(table([
      ['rate/s', 'requested', 'assigned', 'mode', 'p50 ms', 'p99 ms', 'p99.9 ms', 'two agents', 'over cap', 'FIFO inv.', 'log source', 'errors'],
      [a.rate, a.requested, a.assigned, a.mode, a.latency.p50, a.latency.p99, a.latency.p999, a.invariants.twoAgents + a.doubleAssignedSeen + a.mismatchedAgent,
        a.invariants.overCap, a.invariants.fifoInversions, a.invariants.source, a.errors],
    ]));
    out('target: request→assigned p99 ≤ 20 ms; FIFO is the router\'s promise only in auto mode (manual accept is by the clients)');
  }
  const c = r.idle as IdleResult | undefined;
  if (c) {
    out('\n== c. idle tracked visitors ==');
    out(table([['connections', 'failed', 'server RSS MiB', 'after GC', 'JS heap MiB'], ...c.steps.map((s) => [s.connections, s.failed, s.rssMiB, s.afterGc ? 'yes' : 'no', s.heapUsedMiB ?? null])]));
    out(`baseline ${c.baselineRssMiB} MiB; ${c.bytesPerConnection} bytes/connection (JS heap ${c.heapBytesPerConnection ?? '–'}); projected 100,000: ${c.projectedRssFor100kMiB} MiB (target ≤ 2048)${c.cappedBy ? `; capped at ${c.target} by ${c.cappedBy}` : ''}`);
  }
  const d = r.churn as ChurnResult | undefined;
  if (d) {
    out('\n== d. churn ==');
    out(table([
      ['offered/s', 'connects/s', 'disconnects/s', 'handshake p50', 'p99', 'ready p99', 'failed'],
      [d.rate, d.connectsPerSec, d.disconnectsPerSec, d.handshake.p50, d.handshake.p99, d.ready_.p99, d.failed],
    ]));
  }
  const p = r.profile as (ProfileSummary & { messagesDelivered: number; scenario?: string }) | undefined;
  const unit = p?.scenario === 'assignment' ? 'assignment' : 'message';
  if (p) {
    out(`\n== CPU profile of the server during scenario ${unit === 'message' ? 'a (its rate steps only)' : 'b'}: ${p.totalMs} ms busy, ${p.idleMs} ms idle, ${p.messagesDelivered} ${unit}s ==`);
    out(table([['area', 'ms', '%', `µs/${unit}`], ...p.byArea.slice(0, 12).map((x) => [x.area, x.ms, x.share, Math.round((x.ms * 1000) / Math.max(1, p.messagesDelivered))])]));
    out(table([['function (self time)', 'ms', '%'], ...p.top.slice(0, 15).map((x) => [x.fn, x.ms, x.share])]));
  }
}
