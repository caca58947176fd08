// What a report view gets and gives back.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Params, ReportQuery } from './query.js';
import { addDays, formatYmd, parseDate, type TimeRange } from './time-range.js';
import type { ReportTable } from './types.js';

export interface ReportContext {
  ch: ClickHouseClient;
  companyId: string;
  report: string;
  q: ReportQuery;
  /** base params (company, from, to, tz); views add their own */
  params: Params;
}

export type ViewResult = Omit<ReportTable, 'report' | 'view' | 'range'>;
export type ViewFn = (ctx: ReportContext) => Promise<ViewResult>;

/** Every calendar date of the range, so days without data still show as 0. */
export function enumerateDays(r: TimeRange): string[] {
  const out: string[] = [];
  let d = parseDate(r.fromDate)!;
  while (formatYmd(d) <= r.toDate) {
    out.push(formatYmd(d));
    d = addDays(d, 1);
  }
  return out;
}
