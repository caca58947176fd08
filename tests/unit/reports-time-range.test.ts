// I10 date presets and custom ranges in the company's time zone.
import { describe, expect, it } from 'vitest';
import { customRange, presetRange, startOfDay } from '../../server/src/domain/reports/time-range.js';
import { parseReportQuery, BadReportRequest } from '../../server/src/domain/reports/query.js';

const SH = 'Asia/Shanghai';
// 2025-01-31T17:00Z is already Saturday 1 February, 01:00 in Shanghai.
const NOW = Date.UTC(2025, 0, 31, 17);

describe('I10 presets in the company time zone', () => {
  it('today just after Shanghai midnight is the new day, not the UTC one', () => {
    expect(presetRange('today', NOW, SH)).toMatchObject({ fromDate: '2025-02-01', toDate: '2025-02-01', from: Date.UTC(2025, 0, 31, 16), to: Date.UTC(2025, 1, 1, 16) });
    expect(presetRange('today', NOW, 'UTC')).toMatchObject({ fromDate: '2025-01-31', from: Date.UTC(2025, 0, 31) });
  });
  it('week starts on Monday, month on the 1st, last 3 months back to the same day', () => {
    expect(presetRange('week', NOW, SH)).toMatchObject({ fromDate: '2025-01-27', toDate: '2025-02-01' });
    expect(presetRange('month', NOW, SH)).toMatchObject({ fromDate: '2025-02-01', toDate: '2025-02-01' });
    expect(presetRange('last3months', NOW, SH)).toMatchObject({ fromDate: '2024-11-02', toDate: '2025-02-01' });
    // 31 May → 29 Feb does not exist in 2025: clamps to month end.
    expect(presetRange('last3months', Date.UTC(2025, 4, 31, 4), SH)).toMatchObject({ fromDate: '2025-03-01', toDate: '2025-05-31' });
  });
  it('a day across a DST change is 23 hours long', () => {
    const d = customRange('2025-03-09', '2025-03-09', 'America/New_York');
    expect(d.to - d.from).toBe(23 * 3_600_000);
    expect(startOfDay({ y: 2025, m: 3, d: 9 }, 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 5));
  });
});

describe('I10 bad ranges and filters', () => {
  const q = (s: string) => () => parseReportQuery(new URLSearchParams(s), SH, NOW);
  it('rejects inverted, absurd and malformed ranges and unknown dimensions', () => {
    expect(q('from=2025-02-02&to=2025-02-01')).toThrow(BadReportRequest);
    expect(q('from=2021-01-01&to=2025-01-01')).toThrow(/longer than/);
    expect(q('from=2025-1-1&to=2025-01-02')).toThrow(/YYYY-MM-DD/);
    expect(q('from=2025-01-01')).toThrow(/both/);
    expect(q('preset=today&filter=nope:1')).toThrow(/unknown filter dimension/);
  });
  it('same dimension twice is OR, different dimensions AND', () => {
    const r = parseReportQuery(new URLSearchParams('filter=search_engine:baidu&filter=province:北京&filter=search_engine:sogou'), SH, NOW);
    expect(r.filters).toEqual([{ key: 'search_engine', values: ['baidu', 'sogou'] }, { key: 'province', values: ['北京'] }]);
  });
});
