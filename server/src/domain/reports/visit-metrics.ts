// The visit-based metric set shared by overview, traffic sources (I3), loyalty,
// content entry/exit and visitor info: one GROUP BY over the deduplicated
// visits of the range (FINAL: the highest version of each visit), with each
// visit's chats joined in by visit_id. Shares are against the WITH TOTALS row.
import type { ClickHouseClient } from '@clickhouse/client';
import { T, type Params } from './query.js';
import { DISTINCT_VISITORS, LIMIT_KEEPING_TOTALS, TOTALS_FLAG, ratio, select, totalsBy, type Column, type Row } from './types.js';

export type VisitMetric =
  | 'visits' | 'visit_share' | 'visitors' | 'page_views' | 'chats' | 'chat_share' | 'avg_chat_ms'
  | 'avg_pages' | 'avg_dwell_ms' | 'new_pct' | 'bounce_rate';

export const VISIT_METRIC_COLUMNS: Record<VisitMetric, Column> = {
  visits: { key: 'visits', label: 'Visits', kind: 'int' },
  visit_share: { key: 'visit_share', label: 'Visit share', kind: 'pct' },
  visitors: { key: 'visitors', label: 'Unique visitors', kind: 'int' },
  page_views: { key: 'page_views', label: 'Page views', kind: 'int' },
  chats: { key: 'chats', label: 'Chats', kind: 'int' },
  chat_share: { key: 'chat_share', label: 'Chat share', kind: 'pct' },
  avg_chat_ms: { key: 'avg_chat_ms', label: 'Avg chat duration', kind: 'ms' },
  avg_pages: { key: 'avg_pages', label: 'Avg pages', kind: 'num' },
  avg_dwell_ms: { key: 'avg_dwell_ms', label: 'Avg time on site', kind: 'ms' },
  new_pct: { key: 'new_pct', label: 'New visitors %', kind: 'pct' },
  bounce_rate: { key: 'bounce_rate', label: 'Bounce rate', kind: 'pct' },
};

export const TRAFFIC_METRICS: VisitMetric[] = [
  'visits', 'visit_share', 'chats', 'chat_share', 'avg_chat_ms', 'avg_pages', 'avg_dwell_ms', 'new_pct', 'bounce_rate',
];

export interface VisitGroupSpec {
  /** SQL for the first column (from dimensions.ts or a fixed bucket expression). */
  key: string;
  /** optional second dimension */
  key2?: string | undefined;
  /** extra fixed condition, e.g. "search_engine != ''" */
  where?: string;
  /** the filter fragment from query.ts */
  filters: string;
  /** replaces the FROM source (must expose visits' columns); filters are then the caller's job */
  from?: string;
  /** ORDER BY; defaults to visits */
  order?: string;
  limit: number;
  /** metrics the caller will show: skips distinct visitors and the chat join when not needed */
  metrics?: VisitMetric[];
}

interface Raw {
  k: string; k2?: string; visits: number; visitors: number; page_views: number; chats: number; chat_ms: number;
  avg_pages: number; avg_dwell_ms: number; new_pct: number; bounce_rate: number;
}

/** `SELECT *` leaves MATERIALIZED columns out: visit queries name them. */
export const VISIT_COLUMNS = '*, visitor_hash, visit_hash';

/** visits of the range after filters; used as FROM by other visit queries too */
export function visitsInRange(filters: string, extra = '1'): string {
  return `(SELECT ${VISIT_COLUMNS} FROM visits FINAL WHERE company_id = {company:String}
    AND started_at >= {from:${T}} AND started_at < {to:${T}} AND (${filters}) AND (${extra}))`;
}

export async function visitGroups(ch: ClickHouseClient, spec: VisitGroupSpec, params: Params): Promise<{ rows: Row[]; totals: Row }> {
  const k2 = spec.key2 ? `, toString(${spec.key2}) AS k2` : '';
  const want = new Set(spec.metrics ?? Object.keys(VISIT_METRIC_COLUMNS));
  const withChats = want.has('chats') || want.has('chat_share') || want.has('avg_chat_ms');
  const sql = `SELECT toString(${spec.key}) AS k${k2}, ${TOTALS_FLAG('k')},
      count() AS visits, ${want.has('visitors') ? DISTINCT_VISITORS : '0'} AS visitors, sum(pages) AS page_views,
      ${withChats ? 'sum(c.chats)' : '0'} AS chats, ${withChats ? 'sum(c.chat_ms)' : '0'} AS chat_ms,
      avg(pages) AS avg_pages, avg(v.duration_ms) AS avg_dwell_ms, avg(is_new) AS new_pct, avg(pages <= 1) AS bounce_rate
    FROM ${spec.from ?? visitsInRange(spec.filters, spec.where)} AS v
    ${withChats ? `LEFT ANY JOIN (-- one row per visit_hash on the right, so ANY is exact and skips multi-match work
      SELECT visit_hash, count() AS chats, sum(duration_ms) AS chat_ms FROM conversation_facts FINAL
      WHERE company_id = {company:String} AND created_at >= {from:${T}} AND visit_id != ''
      GROUP BY visit_hash
    ) AS c ON c.visit_hash = v.visit_hash` : ''}
    GROUP BY ${spec.key2 ? totalsBy('k', 'k2') : totalsBy('k')}
    ORDER BY ${spec.order ?? 'visits DESC, k'}${spec.key2 ? ', k2' : ''}
    ${LIMIT_KEEPING_TOTALS}`;
  const res = await select<Raw>(ch, sql, { ...params, limit: spec.limit });
  const total = res.totals ?? emptyRaw();
  const shape = (r: Raw, isTotal: boolean): Row => ({
    ...(isTotal ? {} : { key: r.k, ...(spec.key2 ? { key2: r.k2 ?? '' } : {}) }),
    visits: Number(r.visits),
    visit_share: ratio(Number(r.visits), Number(total.visits)),
    visitors: Number(r.visitors),
    page_views: Number(r.page_views),
    chats: Number(r.chats),
    chat_share: ratio(Number(r.chats), Number(total.chats)),
    avg_chat_ms: ratio(Number(r.chat_ms), Number(r.chats)),
    avg_pages: Number(r.avg_pages) || 0,
    avg_dwell_ms: Number(r.avg_dwell_ms) || 0,
    new_pct: Number(r.new_pct) || 0,
    bounce_rate: Number(r.bounce_rate) || 0,
  });
  return { rows: res.data.map((r) => shape(r, false)), totals: shape(total, true) };
}

function emptyRaw(): Raw {
  return { k: '', visits: 0, visitors: 0, page_views: 0, chats: 0, chat_ms: 0, avg_pages: 0, avg_dwell_ms: 0, new_pct: 0, bounce_rate: 0 };
}

/** Keeps only the chosen metric keys (plus key/key2) in each row. */
export function pick(row: Row, metrics: VisitMetric[]): Row {
  const out: Row = {};
  if ('key' in row) out.key = row.key!;
  if ('key2' in row) out.key2 = row.key2!;
  for (const m of metrics) out[m] = row[m] ?? null;
  return out;
}
