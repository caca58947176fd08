// I8 chats and offline messages by day and hour of day (company time zone),
// by topic and category. Offline messages have no visit, so a filter they
// cannot take (e.g. topic) leaves their column empty (null) instead of wrong.
import { filterSql, requireFilterSql, T } from './query.js';
import { enumerateDays, type ReportContext, type ViewResult } from './context.js';
import { ratio, select, type Column, type Row } from './types.js';

const COLS: Column[] = [
  { key: 'chats', label: 'Chats', kind: 'int' },
  { key: 'offline', label: 'Offline messages', kind: 'int' },
  { key: 'avg_wait_ms', label: 'Avg wait', kind: 'ms' },
  { key: 'avg_first_response_ms', label: 'Avg first response', kind: 'ms' },
  { key: 'avg_duration_ms', label: 'Avg chat duration', kind: 'ms' },
];

const CHAT_AGG = `count() AS chats, ifNull(avg(wait_ms), 0) AS avg_wait_ms, ifNull(avg(first_response_ms), 0) AS avg_first_response_ms,
  avg(duration_ms) AS avg_duration_ms, ifNull(avg(rating), 0) AS avg_rating, count(rating) AS rated`;

interface ChatRaw { k: string; chats: number; avg_wait_ms: number; avg_first_response_ms: number; avg_duration_ms: number; avg_rating: number; rated: number }

function chatsWhere(ctx: ReportContext): string {
  const f = requireFilterSql('conversation_facts', ctx.q.filters, ctx.params, ctx.report);
  return `FROM conversation_facts FINAL WHERE company_id = {company:String}
    AND created_at >= {from:${T}} AND created_at < {to:${T}} AND (${f})`;
}

const chatCells = (r: ChatRaw | null | undefined): Row => ({
  chats: Number(r?.chats ?? 0),
  avg_wait_ms: Number(r?.avg_wait_ms ?? 0) || 0,
  avg_first_response_ms: Number(r?.avg_first_response_ms ?? 0) || 0,
  avg_duration_ms: Number(r?.avg_duration_ms ?? 0) || 0,
});

async function byTime(ctx: ReportContext, bucket: 'day' | 'hour'): Promise<ViewResult> {
  const chatKey = bucket === 'day' ? 'toString(toDate(created_at, {tz:String}))' : 'toString(toHour(created_at, {tz:String}))';
  const offKey = bucket === 'day' ? 'toString(toDate(ts, {tz:String}))' : 'toString(toHour(ts, {tz:String}))';
  const offParams = { ...ctx.params };
  const offFilter = filterSql('offline_messages', ctx.q.filters, offParams, 'o');
  const [c, o] = await Promise.all([
    select<ChatRaw>(ctx.ch, `SELECT ${chatKey} AS k, ${CHAT_AGG} ${chatsWhere(ctx)} GROUP BY k WITH TOTALS`, ctx.params),
    offFilter === null ? null : select<{ k: string; n: number }>(ctx.ch, `SELECT ${offKey} AS k, count() AS n FROM offline_messages FINAL
      WHERE company_id = {company:String} AND ts >= {from:${T}} AND ts < {to:${T}} AND (${offFilter}) GROUP BY k WITH TOTALS`, offParams),
  ]);
  const cm = new Map(c.data.map((r) => [r.k, r]));
  const om = new Map((o?.data ?? []).map((r) => [r.k, Number(r.n)]));
  const keys = bucket === 'day' ? enumerateDays(ctx.q.range) : Array.from({ length: 24 }, (_, h) => String(h));
  return {
    title: bucket === 'day' ? 'Chats and offline messages by day' : 'Chats and offline messages by hour',
    drill: null, chart: bucket === 'day' ? 'line' : 'bar',
    columns: [{ key: 'key', label: bucket === 'day' ? 'Date' : 'Hour', kind: 'text' }, ...COLS],
    rows: keys.map((k) => ({ key: k, ...chatCells(cm.get(k)), offline: o ? (om.get(k) ?? 0) : null })),
    totals: { ...chatCells(c.totals), offline: o ? Number(o.totals?.n ?? 0) : null },
  };
}

async function byDim(ctx: ReportContext, col: 'topic' | 'category'): Promise<ViewResult> {
  const res = await select<ChatRaw>(ctx.ch, `SELECT ${col} AS k, ${CHAT_AGG} ${chatsWhere(ctx)}
    GROUP BY k WITH TOTALS ORDER BY chats DESC, k LIMIT {limit:UInt32}`, { ...ctx.params, limit: ctx.q.limit });
  const tot = Number(res.totals?.chats ?? 0);
  const shape = (r: ChatRaw | null): Row => ({
    ...chatCells(r), share: ratio(Number(r?.chats ?? 0), tot), avg_rating: Number(r?.avg_rating ?? 0) || 0, rated: Number(r?.rated ?? 0),
  });
  return {
    title: col === 'topic' ? 'Chats by topic' : 'Chats by category', drill: col, chart: 'pie',
    columns: [
      { key: 'key', label: col === 'topic' ? 'Topic' : 'Category', kind: 'text' },
      COLS[0]!, { key: 'share', label: 'Share', kind: 'pct' }, COLS[2]!, COLS[3]!, COLS[4]!,
      { key: 'avg_rating', label: 'Avg rating', kind: 'num' }, { key: 'rated', label: 'Rated', kind: 'int' },
    ],
    rows: res.data.map((r) => ({ key: r.k, ...shape(r) })),
    totals: shape(res.totals),
  };
}

export const chatViews = {
  day: (ctx: ReportContext) => byTime(ctx, 'day'),
  hour: (ctx: ReportContext) => byTime(ctx, 'hour'),
  topic: (ctx: ReportContext) => byDim(ctx, 'topic'),
  category: (ctx: ReportContext) => byDim(ctx, 'category'),
};
