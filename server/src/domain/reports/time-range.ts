// I10 date presets and custom ranges, resolved in the company's time zone into
// a half-open UTC interval [from, to). Days are calendar days in that zone, so
// "today" in Asia/Shanghai starts at 16:00 UTC the day before.
export const PRESETS = ['today', 'yesterday', 'week', 'month', 'last3months'] as const;
export type Preset = (typeof PRESETS)[number];

/** Longest range a report accepts: about two years of days. */
export const MAX_RANGE_DAYS = 732;

export interface TimeRange {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
  timeZone: string;
  /** calendar dates in the zone, inclusive, YYYY-MM-DD */
  fromDate: string;
  toDate: string;
}

export class RangeError400 extends Error {}

export interface YMD { y: number; m: number; d: number }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(s: string): YMD | null {
  const m = DATE.exec(s);
  if (!m) return null;
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const t = new Date(Date.UTC(ymd.y, ymd.m - 1, ymd.d));
  // Rejects 2025-02-30 and friends, which Date would roll over.
  if (t.getUTCFullYear() !== ymd.y || t.getUTCMonth() !== ymd.m - 1 || t.getUTCDate() !== ymd.d) return null;
  if (ymd.y < 2000 || ymd.y > 2100) return null;
  return ymd;
}

export function formatYmd(v: YMD): string {
  return `${String(v.y).padStart(4, '0')}-${String(v.m).padStart(2, '0')}-${String(v.d).padStart(2, '0')}`;
}

/** Adds days (may be negative) on the calendar, time-zone free. */
export function addDays(v: YMD, days: number): YMD {
  const t = new Date(Date.UTC(v.y, v.m - 1, v.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
export function zonedParts(ms: number, tz: string): YMD & { h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** The calendar date of an instant in a zone. */
export function zonedDate(ms: number, tz: string): YMD {
  const { y, m, d } = zonedParts(ms, tz);
  return { y, m, d };
}

function offsetAt(ms: number, tz: string): number {
  const p = zonedParts(ms, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The instant a calendar day starts in a zone (handles DST by re-checking the offset). */
export function startOfDay(v: YMD, tz: string): number {
  const guess = Date.UTC(v.y, v.m - 1, v.d);
  let t = guess - offsetAt(guess, tz);
  t = guess - offsetAt(t, tz);
  return t;
}

function rangeOf(first: YMD, last: YMD, tz: string): TimeRange {
  return { from: startOfDay(first, tz), to: startOfDay(addDays(last, 1), tz), timeZone: tz, fromDate: formatYmd(first), toDate: formatYmd(last) };
}

export function presetRange(preset: Preset, now: number, tz: string): TimeRange {
  const today = zonedDate(now, tz);
  switch (preset) {
    case 'today':
      return rangeOf(today, today, tz);
    case 'yesterday': {
      const y = addDays(today, -1);
      return rangeOf(y, y, tz);
    }
    case 'week': {
      // Weeks start on Monday (China, ISO 8601).
      const dow = new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay();
      return rangeOf(addDays(today, -((dow + 6) % 7)), today, tz);
    }
    case 'month':
      return rangeOf({ ...today, d: 1 }, today, tz);
    case 'last3months': {
      // 最近三月: the same day three calendar months ago (clamped to month end) up to today.
      const back = new Date(Date.UTC(today.y, today.m - 4, 1));
      const y = back.getUTCFullYear();
      const m = back.getUTCMonth() + 1;
      const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return rangeOf(addDays({ y, m, d: Math.min(today.d, dim) }, 1), today, tz);
    }
  }
}

/** Custom range: inclusive calendar dates in the company's zone. */
export function customRange(fromText: string, toText: string, tz: string): TimeRange {
  const first = parseDate(fromText);
  const last = parseDate(toText);
  if (!first) throw new RangeError400(`from must be a date YYYY-MM-DD, got "${fromText.slice(0, 40)}"`);
  if (!last) throw new RangeError400(`to must be a date YYYY-MM-DD, got "${toText.slice(0, 40)}"`);
  const days = (Date.UTC(last.y, last.m - 1, last.d) - Date.UTC(first.y, first.m - 1, first.d)) / 86_400_000 + 1;
  if (days < 1) throw new RangeError400(`from (${fromText}) is after to (${toText})`);
  if (days > MAX_RANGE_DAYS) throw new RangeError400(`range of ${days} days is longer than the ${MAX_RANGE_DAYS} allowed`);
  return rangeOf(first, last, tz);
}

/** ClickHouse DateTime64(3,'UTC') parameter text. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
