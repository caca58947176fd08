// The one shape every report view returns: the console draws its chart from
// `chart` + the first metric column, and its detail table (with the totals row)
// from columns/rows/totals; CSV and XLSX exports are made from the same object.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Params } from './query.js';

/** int: count; pct: fraction 0..1; ms: duration in milliseconds; num: decimal; text: label */
export type ColumnKind = 'text' | 'int' | 'pct' | 'ms' | 'num';
export interface Column { key: string; label: string; kind: ColumnKind }
export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface ReportTable {
  report: string;
  view: string;
  title: string;
  /** Dimension key of the first column: clicking a chart segment filters on it (drill-down). */
  drill: string | null;
  chart: 'bar' | 'line' | 'pie' | 'funnel';
  columns: Column[];
  rows: Row[];
  totals: Row | null;
  range: { from: number; to: number; fromDate: string; toDate: string; timeZone: string };
}

export interface Selected<R> { data: R[]; totals: R | null }

/**
 * A grouped query's totals row through GROUPING SETS instead of WITH TOTALS:
 * WITH TOTALS merges every group's state into the total on one thread, which
 * for uniqExact sets of a million visitors costs several times the query
 * itself; the empty grouping set is aggregated from the rows in parallel like
 * any group. Put TOTALS_FLAG(firstKey) in the SELECT list, group by
 * totalsBy(keys), and end with LIMIT_KEEPING_TOTALS: select() then returns the
 * flagged row as `totals`.
 */
export const TOTALS_FLAG = (key: string): string => `grouping(${key}) AS _total`;
export const totalsBy = (...keys: string[]): string => `GROUPING SETS ((${keys.join(', ')}), ())`;
/** The LIMIT for such a query: the totals row is never cut off. */
export const LIMIT_KEEPING_TOTALS = 'LIMIT {limit:UInt32} BY _total';

/** Runs one SELECT (JSON format, so WITH TOTALS comes back as `totals`; see TOTALS_FLAG). */
export async function select<R = Record<string, unknown>>(ch: ClickHouseClient, sql: string, params: Params): Promise<Selected<R>> {
  const rs = await ch.query({
    // Rows of a visit/chat only replace each other inside one month partition
    // (started_at/created_at never change), so FINAL need not merge across them.
    query: `${sql}\nSETTINGS output_format_json_quote_64bit_integers = 0, output_format_json_quote_64bit_floats = 0,
      do_not_merge_across_partitions_select_final = 1`,
    query_params: params,
    format: 'JSON',
  });
  const text = await rs.text();
  let body: { data: R[]; totals?: R };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (err) {
    // chDB 3.4 writes the WITH TOTALS block out of order when no row matched,
    // which is not valid JSON; no rows means no totals worth reading.
    if (/"rows":\s*0\b/.test(text)) return { data: [], totals: null };
    throw err;
  }
  if (body.data.length > 0 && Object.hasOwn(body.data[0] as object, '_total')) {
    const isTotal = (r: R) => Number((r as { _total?: unknown })._total) === 1;
    return { data: body.data.filter((r) => !isTotal(r)), totals: body.data.find(isTotal) ?? null };
  }
  return { data: body.data, totals: body.totals ?? null };
}

/**
 * Distinct visitors as an exact set of 64-bit hashes. uniqExact(String) is
 * itself a set of 128-bit hashes; visitor_hash (cityHash64(visitor_id),
 * materialized at insert by ClickHouse migration 0005) is read as a plain
 * UInt64 column. Two visitors collide with probability ≈ n²/2⁶⁵ (3·10⁻⁶ at 10M).
 */
export const DISTINCT_VISITORS = 'uniqExact(visitor_hash)';

export const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
