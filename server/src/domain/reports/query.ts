// Parses a report request (I10) into a validated ReportQuery and builds the
// WHERE fragments for it. User values only ever become ClickHouse query
// parameters ({fN:Array(String)}); column expressions come from dimensions.ts.
import { dimension, type FactTable } from './dimensions.js';
import { PRESETS, RangeError400, chTime, customRange, presetRange, type Preset, type TimeRange } from './time-range.js';

export class BadReportRequest extends Error {}

export interface Filter { key: string; values: string[] }

export interface ReportQuery {
  range: TimeRange;
  filters: Filter[];
  view: string | null;
  dim2: string | null;
  funnelId: string | null;
  limit: number;
}

const MAX_FILTERS = 20;
const MAX_VALUE = 500;

/**
 * preset=today|yesterday|week|month|last3months, or from=YYYY-MM-DD&to=YYYY-MM-DD
 * (inclusive, company time zone); filter=key:value (repeatable: same key → OR,
 * different keys → AND); view, dim2, funnel, limit.
 */
export function parseReportQuery(q: URLSearchParams, timeZone: string, now: number): ReportQuery {
  const preset = q.get('preset');
  const from = q.get('from');
  const to = q.get('to');
  let range: TimeRange;
  try {
    if (from !== null || to !== null) {
      if (preset !== null) throw new BadReportRequest('give either preset or from/to, not both');
      if (from === null || to === null) throw new BadReportRequest('a custom range needs both from and to');
      range = customRange(from, to, timeZone);
    } else {
      const p = preset ?? 'today';
      if (!PRESETS.includes(p as Preset)) throw new BadReportRequest(`preset must be one of ${PRESETS.join(', ')}`);
      range = presetRange(p as Preset, now, timeZone);
    }
  } catch (err) {
    if (err instanceof RangeError400) throw new BadReportRequest(err.message);
    throw err;
  }

  const byKey = new Map<string, string[]>();
  const raw = q.getAll('filter');
  if (raw.length > MAX_FILTERS) throw new BadReportRequest(`at most ${MAX_FILTERS} filters`);
  for (const f of raw) {
    const i = f.indexOf(':');
    if (i <= 0) throw new BadReportRequest(`filter must be dimension:value, got "${f.slice(0, 60)}"`);
    const key = f.slice(0, i);
    const value = f.slice(i + 1);
    if (!dimension(key)) throw new BadReportRequest(`unknown filter dimension "${key.slice(0, 60)}"`);
    if (value.length > MAX_VALUE) throw new BadReportRequest(`filter value for ${key} is too long`);
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const filters = [...byKey].map(([key, values]) => ({ key, values }));

  const dim2 = q.get('dim2');
  const limitText = q.get('limit');
  const limit = limitText === null ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadReportRequest('limit must be 1..1000');
  const funnelId = q.get('funnel');
  if (funnelId !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(funnelId)) throw new BadReportRequest('bad funnel id');
  return { range, filters, view: q.get('view'), dim2: dim2 === '' ? null : dim2, funnelId, limit };
}

export type Params = Record<string, unknown>;

/** Base parameters every report query uses. */
export function baseParams(companyId: string, q: ReportQuery): Params {
  return { company: companyId, from: chTime(q.range.from), to: chTime(q.range.to), tz: q.range.timeZone };
}

export const T = "DateTime64(3, 'UTC')";

// Filters on a table without the dimension go through the visit the row
// belongs to; visits may start up to a day before the range.
function visitSemiJoin(expr: string, param: string): string {
  return `visit_hash IN (SELECT visit_hash FROM visits FINAL WHERE company_id = {company:String}
    AND started_at >= {from:${T}} - INTERVAL 1 DAY AND started_at < {to:${T}} AND ${expr} IN {${param}:Array(String)})`;
}

/**
 * AND-joined conditions for the filters on `table`, or null when some filter
 * cannot apply to it (the caller decides: 400, or leave that figure out).
 */
export function filterSql(table: FactTable, filters: Filter[], params: Params, prefix = 'f'): string | null {
  const parts: string[] = [];
  for (const [i, f] of filters.entries()) {
    const d = dimension(f.key)!;
    const name = `${prefix}${i}`;
    params[name] = f.values;
    const direct = d.sql[table];
    if (direct) parts.push(`${direct} IN {${name}:Array(String)}`);
    else if ((table === 'page_views' || table === 'conversation_facts') && d.sql.visits) parts.push(visitSemiJoin(d.sql.visits, name));
    else return null;
  }
  return parts.length ? parts.join(' AND ') : '1';
}

export function requireFilterSql(table: FactTable, filters: Filter[], params: Params, report: string): string {
  const sql = filterSql(table, filters, params);
  if (sql === null) {
    const bad = filters.find((f) => {
      const d = dimension(f.key)!;
      return !d.sql[table] && !((table === 'page_views' || table === 'conversation_facts') && d.sql.visits);
    });
    throw new BadReportRequest(`filter ${bad?.key} does not apply to the ${report} report`);
  }
  return sql;
}
