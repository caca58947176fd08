// The independent computation the report tests compare against: plain
// TypeScript over the generated rows, written without the report SQL or the
// reports domain code (own dedup, own time-zone bucketing via Intl 'en-CA').
import type { Dataset, FactRow } from '../../load-tests/analytics-generator.js';
import type { VisitRow, PageViewRow } from '../../server/src/domain/tracking/page-view.js';

export const ms = (iso: string) => Date.parse(iso);

export function dayIn(tz: string, t: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
}
export function hourIn(tz: string, t: number): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hourCycle: 'h23' }).format(new Date(t)));
}

function latest<T extends { version: number }>(rows: T[], key: (r: T) => string): T[] {
  const m = new Map<string, T>();
  for (const r of rows) { const k = key(r); const p = m.get(k); if (!p || r.version >= p.version) m.set(k, r); }
  return [...m.values()];
}

export interface Win { from: number; to: number; tz: string }

export class Oracle {
  readonly visits: VisitRow[];
  readonly facts: FactRow[];
  constructor(readonly d: Dataset, readonly w: Win) {
    this.visits = latest(d.visits, (v) => v.visit_id);
    this.facts = latest(d.conversation_facts, (f) => f.conversation_id);
  }
  inRange = (t: number) => t >= this.w.from && t < this.w.to;
  visitsIn(pred: (v: VisitRow) => boolean = () => true) { return this.visits.filter((v) => this.inRange(ms(v.started_at)) && pred(v)); }
  pageViewsIn(pred: (p: PageViewRow) => boolean = () => true) { return this.d.page_views.filter((p) => this.inRange(ms(p.ts)) && pred(p)); }
  factsIn(pred: (f: FactRow) => boolean = () => true) { return this.facts.filter((f) => this.inRange(ms(f.created_at)) && pred(f)); }
  /** chats of a visit: its conversations created from the range start on */
  chatsOf(visitId: string) { return this.facts.filter((f) => f.visit_id === visitId && ms(f.created_at) >= this.w.from); }

  /** I3 metric set over a group of visits, shares against `all` */
  visitMetrics(group: VisitRow[], all: VisitRow[]) {
    const chats = group.flatMap((v) => this.chatsOf(v.visit_id));
    const allChats = all.flatMap((v) => this.chatsOf(v.visit_id)).length;
    const n = group.length;
    const avg = (f: (v: VisitRow) => number) => (n ? group.reduce((a, v) => a + f(v), 0) / n : 0);
    return {
      visits: n,
      visit_share: all.length ? n / all.length : 0,
      visitors: new Set(group.map((v) => v.visitor_id)).size,
      page_views: group.reduce((a, v) => a + v.pages, 0),
      chats: chats.length,
      chat_share: allChats ? chats.length / allChats : 0,
      avg_chat_ms: chats.length ? chats.reduce((a, c) => a + c.duration_ms, 0) / chats.length : 0,
      avg_pages: avg((v) => v.pages),
      avg_dwell_ms: avg((v) => v.duration_ms),
      new_pct: avg((v) => v.is_new),
      bounce_rate: avg((v) => (v.pages <= 1 ? 1 : 0)),
    };
  }
}

export function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) { const k = key(x); m.set(k, [...(m.get(k) ?? []), x]); }
  return m;
}

export const avgOf = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
};

/** Compares numbers with a float tolerance, everything else exactly. */
export function close(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const bad: string[] = [];
  for (const [k, e] of Object.entries(expected)) {
    const a = actual[k];
    if (typeof e === 'number' && typeof a === 'number' ? Math.abs(a - e) > 1e-6 * Math.max(1, Math.abs(e)) : a !== e) {
      bad.push(`${k}: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
    }
  }
  return bad;
}
