// Visit-based reports: overview (I2), traffic sources (I3), loyalty (I4),
// content (I5) and visitor info (I7). Each view is one or a few GROUP BYs.
import { dimension, SOURCE_TYPE_SQL } from './dimensions.js';
import { BadReportRequest, requireFilterSql, T } from './query.js';
import { enumerateDays, type ReportContext, type ViewResult } from './context.js';
import { DISTINCT_VISITORS, LIMIT_KEEPING_TOTALS, TOTALS_FLAG, ratio, select, totalsBy, type Column, type Row } from './types.js';
import { TRAFFIC_METRICS, VISIT_METRIC_COLUMNS, pick, visitGroups, visitsInRange, type VisitMetric } from './visit-metrics.js';
import { pageViewTime } from './buckets.js';

const text = (key: string, label: string): Column => ({ key, label, kind: 'text' });
const metricCols = (ms: VisitMetric[]) => ms.map((m) => VISIT_METRIC_COLUMNS[m]);

interface GroupedView {
  title: string;
  keySql: string;
  keyLabel: string;
  drill: string | null;
  where?: string;
  metrics: VisitMetric[];
  chart: ViewResult['chart'];
  order?: string;
  from?: (filters: string) => string;
}

async function grouped(ctx: ReportContext, v: GroupedView, dim2?: { sql: string; label: string }): Promise<ViewResult> {
  const filters = requireFilterSql('visits', ctx.q.filters, ctx.params, ctx.report);
  const res = await visitGroups(ctx.ch, {
    key: v.keySql, key2: dim2?.sql, filters, limit: ctx.q.limit, metrics: v.metrics,
    ...(v.where ? { where: v.where } : {}), ...(v.order ? { order: v.order } : {}), ...(v.from ? { from: v.from(filters) } : {}),
  }, ctx.params);
  return {
    title: v.title, drill: v.drill, chart: v.chart,
    columns: [text('key', v.keyLabel), ...(dim2 ? [text('key2', dim2.label)] : []), ...metricCols(v.metrics)],
    rows: res.rows.map((r) => pick(r, v.metrics)),
    totals: pick(res.totals, v.metrics),
  };
}

const byDim = (key: string, title: string, metrics: VisitMetric[], chart: ViewResult['chart'], where?: string): GroupedView => ({
  title, keySql: dimension(key)!.sql.visits!, keyLabel: dimension(key)!.label, drill: key, metrics, chart, ...(where ? { where } : {}),
});

// ---- I2 overview -----------------------------------------------------------
async function overviewSummary(ctx: ReportContext): Promise<ViewResult> {
  const p = ctx.params;
  const fv = requireFilterSql('visits', ctx.q.filters, p, ctx.report);
  const fp = requireFilterSql('page_views', ctx.q.filters, p, ctx.report);
  const fc = requireFilterSql('conversation_facts', ctx.q.filters, p, ctx.report);
  type D = { day: string; n: number; u?: number };
  // Bucket form: with no filter or a page filter, ClickHouse reads the pv_buckets projection.
  const t = pageViewTime(ctx.q.range, ctx.q.filters);
  const [v, pv, c] = await Promise.all([
    select<D>(ctx.ch, `SELECT toString(toDate(started_at, {tz:String})) AS day, ${TOTALS_FLAG('day')}, count() AS n, ${DISTINCT_VISITORS} AS u
      FROM ${visitsInRange(fv)} GROUP BY ${totalsBy('day')}`, p),
    select<D>(ctx.ch, `SELECT toString(toDate(${t.ts}, {tz:String})) AS day, count() AS n FROM page_views
      WHERE company_id = {company:String} AND ${t.inRange} AND (${fp}) GROUP BY day WITH TOTALS`, p),
    select<D>(ctx.ch, `SELECT toString(toDate(created_at, {tz:String})) AS day, count() AS n FROM conversation_facts FINAL
      WHERE company_id = {company:String} AND created_at >= {from:${T}} AND created_at < {to:${T}} AND (${fc}) GROUP BY day WITH TOTALS`, p),
  ]);
  const at = (s: { data: D[] }) => new Map(s.data.map((d) => [d.day, d]));
  const [vm, pm, cm] = [at(v), at(pv), at(c)];
  const rows: Row[] = enumerateDays(ctx.q.range).map((day) => ({
    key: day, visits: Number(vm.get(day)?.n ?? 0), visitors: Number(vm.get(day)?.u ?? 0),
    page_views: Number(pm.get(day)?.n ?? 0), chats: Number(cm.get(day)?.n ?? 0),
  }));
  return {
    title: 'Overview', drill: null, chart: 'line',
    columns: [text('key', 'Date'), ...metricCols(['visits', 'visitors', 'page_views', 'chats'])],
    rows,
    totals: { visits: Number(v.totals?.n ?? 0), visitors: Number(v.totals?.u ?? 0), page_views: Number(pv.totals?.n ?? 0), chats: Number(c.totals?.n ?? 0) },
  };
}

export const overviewViews = {
  summary: overviewSummary,
  sources: (ctx: ReportContext) => grouped(ctx, byDim('source_type', 'Top sources', ['visits', 'visit_share', 'chats'], 'pie')),
  keywords: (ctx: ReportContext) => grouped(ctx, byDim('keyword', 'Top keywords', ['visits', 'visit_share', 'chats'], 'bar', "keyword != ''")),
};

// ---- I3 traffic sources ----------------------------------------------------
export const SECOND_DIMENSIONS: Record<string, { sql: string; label: string }> = {
  region: { sql: 'province', label: 'Region' },
  visitor_type: { sql: dimension('visitor_type')!.sql.visits!, label: 'New / returning' },
  day: { sql: 'toDate(started_at, {tz:String})', label: 'Date' },
  page: { sql: 'landing_path', label: 'Landing page' },
};

function withDim2(v: GroupedView) {
  return (ctx: ReportContext) => {
    const d2 = ctx.q.dim2;
    if (d2 !== null && !SECOND_DIMENSIONS[d2]) throw new BadReportRequest(`dim2 must be one of ${Object.keys(SECOND_DIMENSIONS).join(', ')}`);
    return grouped(ctx, v, d2 ? SECOND_DIMENSIONS[d2] : undefined);
  };
}

export const sourceViews = {
  type: withDim2(byDim('source_type', 'All sources', TRAFFIC_METRICS, 'pie')),
  engine: withDim2(byDim('search_engine', 'Search engines', TRAFFIC_METRICS, 'pie', "search_engine != ''")),
  keyword: withDim2(byDim('keyword', 'Keywords', TRAFFIC_METRICS, 'bar', "keyword != ''")),
  site: withDim2(byDim('referrer_host', 'Referring sites', TRAFFIC_METRICS, 'bar', `${SOURCE_TYPE_SQL} = 'site'`)),
  direct: withDim2(byDim('source_type', 'Direct', TRAFFIC_METRICS, 'bar', `${SOURCE_TYPE_SQL} = 'direct'`)),
};

// ---- I4 loyalty ------------------------------------------------------------
const LOYALTY: VisitMetric[] = ['visits', 'visit_share', 'avg_pages', 'avg_dwell_ms', 'bounce_rate', 'chats'];
const DEPTH_BUCKET = "multiIf(pages <= 1, '1 page', pages = 2, '2 pages', pages = 3, '3 pages', pages <= 5, '4-5 pages', pages <= 10, '6-10 pages', pages <= 20, '11-20 pages', '21+ pages')";
// 0 first visit, 1 < 1 day, 2 one day, 3 2-7, 4 8-30, 5 31-90, 6 91+ (or older than the 365-day lookback)
const GAP_DAYS = 'intDiv(toUnixTimestamp64Milli(started_at) - toUnixTimestamp64Milli(assumeNotNull(prev_at)), 86400000)';
const RECENCY_N = `multiIf(isNull(prev_at), if(visit_number <= 1, 0, 6), ${GAP_DAYS} = 0, 1, ${GAP_DAYS} = 1, 2,
  ${GAP_DAYS} <= 7, 3, ${GAP_DAYS} <= 30, 4, ${GAP_DAYS} <= 90, 5, 6)`;
export const RECENCY_LABELS = ['first visit', 'same day', '1 day', '2-7 days', '8-30 days', '31-90 days', '91+ days'];

async function frequency(ctx: ReportContext): Promise<ViewResult> {
  const f = requireFilterSql('visits', ctx.q.filters, ctx.params, ctx.report);
  type R = { k: string; visitors: number; visits: number };
  const res = await select<R>(ctx.ch, `SELECT multiIf(n = 1, '1 visit', n = 2, '2 visits', n = 3, '3 visits', n <= 5, '4-5 visits',
      n <= 10, '6-10 visits', '11+ visits') AS k, count() AS visitors, sum(n) AS visits
    FROM (SELECT visitor_hash, count() AS n FROM ${visitsInRange(f)} GROUP BY visitor_hash)
    GROUP BY k WITH TOTALS ORDER BY min(n)`, ctx.params);
  const tot = Number(res.totals?.visitors ?? 0);
  const shape = (r: R): Row => ({ visitors: Number(r.visitors), visitor_share: ratio(Number(r.visitors), tot), visits: Number(r.visits) });
  return {
    title: 'Repeat frequency', drill: null, chart: 'bar',
    columns: [text('key', 'Visits in period'), VISIT_METRIC_COLUMNS.visitors, { key: 'visitor_share', label: 'Visitor share', kind: 'pct' }, VISIT_METRIC_COLUMNS.visits],
    rows: res.data.map((r) => ({ key: r.k, ...shape(r) })),
    totals: res.totals ? shape(res.totals) : { visitors: 0, visitor_share: 0, visits: 0 },
  };
}

export const loyaltyViews = {
  visitor_type: (ctx: ReportContext) => grouped(ctx, byDim('visitor_type', 'New vs returning', LOYALTY, 'pie')),
  depth: (ctx: ReportContext) => grouped(ctx, {
    title: 'Visit depth', keySql: DEPTH_BUCKET, keyLabel: 'Pages per visit', drill: null, metrics: LOYALTY, chart: 'bar', order: 'min(pages)',
  }),
  recency: (ctx: ReportContext) => grouped(ctx, {
    title: 'Recency', keySql: `arrayElement([${RECENCY_LABELS.map((l) => `'${l}'`).join(', ')}], ${RECENCY_N} + 1)`,
    keyLabel: 'Since previous visit', drill: null, metrics: LOYALTY, chart: 'bar', order: `min(${RECENCY_N})`,
    // The previous visit may predate the range: look back a year, then keep the range's visits.
    // The hash leads the partition key so the window's sort compares integers (visitor_id only breaks ties).
    // Only the columns the metrics need go through the window's sort; the filters
    // (which must not narrow the look-back) ride along as one flag.
    from: (filters) => `(SELECT * FROM (
        SELECT started_at, visit_number, pages, duration_ms, is_new, visitor_hash, visit_hash, toUInt8(${filters}) AS selected,
          lagInFrame(toNullable(started_at)) OVER (PARTITION BY visitor_hash, visitor_id ORDER BY started_at
          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS prev_at
        FROM visits FINAL WHERE company_id = {company:String}
          AND started_at >= {from:${T}} - INTERVAL 365 DAY AND started_at < {to:${T}})
      WHERE started_at >= {from:${T}} AND selected = 1)`,
  }),
  frequency,
};

// ---- I5 content ------------------------------------------------------------
async function topPages(ctx: ReportContext): Promise<ViewResult> {
  const f = requireFilterSql('page_views', ctx.q.filters, ctx.params, ctx.report);
  type R = { k: string; page_views: number; visitors: number; entries: number };
  const res = await select<R>(ctx.ch, `SELECT path AS k, ${TOTALS_FLAG('k')}, count() AS page_views, ${DISTINCT_VISITORS} AS visitors,
      sum(is_landing) AS entries
    FROM page_views WHERE company_id = {company:String} AND ts >= {from:${T}} AND ts < {to:${T}} AND (${f})
    GROUP BY ${totalsBy('k')} ORDER BY page_views DESC, k ${LIMIT_KEEPING_TOTALS}`, { ...ctx.params, limit: ctx.q.limit });
  const tot = Number(res.totals?.page_views ?? 0);
  const shape = (r: R): Row => ({
    page_views: Number(r.page_views), pv_share: ratio(Number(r.page_views), tot), visitors: Number(r.visitors), entries: Number(r.entries),
  });
  return {
    title: 'Top pages', drill: 'page', chart: 'bar',
    columns: [text('key', 'Page'), VISIT_METRIC_COLUMNS.page_views, { key: 'pv_share', label: 'Share', kind: 'pct' },
      VISIT_METRIC_COLUMNS.visitors, { key: 'entries', label: 'Entries', kind: 'int' }],
    rows: res.data.map((r) => ({ key: r.k, ...shape(r) })),
    totals: res.totals ? shape(res.totals) : { page_views: 0, pv_share: 0, visitors: 0, entries: 0 },
  };
}

export const contentViews = {
  pages: topPages,
  entry: (ctx: ReportContext) => grouped(ctx, byDim('landing_page', 'Entry pages', ['visits', 'visit_share', 'bounce_rate', 'avg_pages', 'avg_dwell_ms'], 'bar')),
  exit: (ctx: ReportContext) => grouped(ctx, byDim('exit_page', 'Exit pages', ['visits', 'visit_share', 'avg_pages'], 'bar')),
};

// ---- I7 visitor info -------------------------------------------------------
const INFO: VisitMetric[] = ['visits', 'visit_share', 'visitors', 'page_views', 'chats'];
const info = (key: string, title: string, chart: ViewResult['chart'] = 'bar') => (ctx: ReportContext) => grouped(ctx, byDim(key, title, INFO, chart));
export const visitorViews = {
  region: info('province', 'Region'),
  city: info('city', 'City'),
  country: info('country', 'Country'),
  browser: info('browser', 'Browser', 'pie'),
  os: info('os', 'Operating system', 'pie'),
  device: info('device', 'Device', 'pie'),
  screen: info('screen', 'Screen'),
  language: info('language', 'Language'),
};
