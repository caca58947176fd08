// Time-bucket forms of a report's time condition, so ClickHouse can answer
// from the page_views projection pv_buckets (ClickHouse migration 0005: counts
// per company, 15-minute UTC bucket and path). A range whose ends fall on
// 15-minute UTC boundaries (every company-local midnight does: real time-zone
// offsets are multiples of 15 minutes) selects exactly the same rows by bucket
// as by ts, and the company-local day or hour of a bucket is that of each of
// its rows. Anything else keeps the plain ts form. The projection is only an
// access path: a filter on a column it lacks would make ClickHouse read the
// raw rows (same result, but a function of ts per row), so such queries keep
// the plain ts form too.
import { T, type Filter } from './query.js';
import type { TimeRange } from './time-range.js';

export const BUCKET_MS = 15 * 60_000;

export const bucketAligned = (r: TimeRange): boolean => r.from % BUCKET_MS === 0 && r.to % BUCKET_MS === 0;

/** Filters pv_buckets can answer: on the page path only (a report on page views alone may offer it). */
const IN_PROJECTION = new Set(['page']);

/** The page-view time expression and range condition for `r` (params from, to). */
export function pageViewTime(r: TimeRange, filters: Filter[]): { ts: string; inRange: string } {
  const ts = bucketAligned(r) && filters.every((f) => IN_PROJECTION.has(f.key)) ? 'toStartOfFifteenMinutes(ts)' : 'ts';
  return { ts, inRange: `${ts} >= {from:${T}} AND ${ts} < {to:${T}}` };
}
