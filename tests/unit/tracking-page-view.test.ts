import { describe, expect, it } from 'vitest';
import { createGeoLookup } from '../../server/src/domain/tracking/geo.js';
import {
  buildPageViewRow, buildVisitRow, honourDnt, normalizeLanguage, type PageViewInput,
} from '../../server/src/domain/tracking/page-view.js';
import { createUaParser } from '../../server/src/domain/tracking/user-agent.js';
import { migration } from '../../server/src/adapters/clickhouse/migrations/0001_tracking.js';

const geo = createGeoLookup();
const ua = createUaParser();
const T0 = Date.UTC(2026, 0, 1, 8);
const WECHAT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.30(0x18001e31) NetType/WIFI Language/zh_CN';

const input = (over: Partial<PageViewInput> = {}): PageViewInput => ({
  companyId: 'c1',
  visitorId: 'vis1',
  ip: '::ffff:110.185.39.26',
  userAgent: WECHAT,
  page: {
    url: 'https://shop.example.com/p/1?utm_source=baidu&utm_medium=cpc&utm_campaign=%E5%8F%8C11',
    title: ' 商品 ',
    referrer: 'https://m.baidu.com/s?word=%E9%80%80%E8%B4%A7',
  },
  screen: { width: 390, height: 844 },
  language: 'zh-CN',
  at: T0,
  ...over,
});

function tableColumns(name: string): string[] {
  const sql = migration.statements.find((s) => s.includes(`TABLE IF NOT EXISTS ${name} `))!;
  return [...sql.matchAll(/^\s*([a-z_]+) (?:LowCardinality|String|UInt|DateTime)/gm)].map((m) => m[1]!).sort();
}

describe('I1 page view rows', () => {
  it('builds a landing page_views row with source, region, browser and visit facts', () => {
    const { row, step } = buildPageViewRow(input(), { geo, ua, visits: { previous: null, newVisitId: () => 'visit-1' } });
    expect(row).toEqual({
      company_id: 'c1', visitor_id: 'vis1', visit_id: 'visit-1', ts: '2026-01-01T08:00:00.000Z',
      url: 'https://shop.example.com/p/1?utm_source=baidu&utm_medium=cpc&utm_campaign=%E5%8F%8C11',
      path: '/p/1', title: '商品', is_landing: 1,
      referrer: 'https://m.baidu.com/s?word=%E9%80%80%E8%B4%A7', referrer_host: 'm.baidu.com',
      search_engine: 'baidu', keyword: '退货',
      utm_source: 'baidu', utm_medium: 'cpc', utm_campaign: '双11', utm_term: '', utm_content: '',
      visit_number: 1, is_new: 1,
      country: '中国', province: '四川', city: '成都', isp: '电信', ip: '110.185.39.26',
      browser: 'WeChat', browser_version: '8.0.30', os: 'iOS', device: 'mobile',
      screen: '390x844', language: 'zh-cn',
    });
    expect(step.state.visitId).toBe('visit-1');
  });

  it('has exactly the page_views and visits columns of the ClickHouse migration', () => {
    const { row } = buildPageViewRow(input(), { geo, ua, visits: { previous: null, newVisitId: () => 'v' } });
    expect(Object.keys(row).sort()).toEqual(tableColumns('page_views'));
    const visit = buildVisitRow(row, buildPageViewRow(input(), { geo, ua, visits: { previous: null, newVisitId: () => 'v' } }).step.state,
      { url: row.url, path: row.path }, false);
    expect(Object.keys(visit).sort()).toEqual(tableColumns('visits'));
  });

  it('an internal next page continues the visit and is not a landing', () => {
    const first = buildPageViewRow(input(), { geo, ua, visits: { previous: null, newVisitId: () => 'visit-1' } });
    const { row } = buildPageViewRow(
      input({ at: T0 + 60_000, page: { url: 'https://shop.example.com/cart', title: '购物车', referrer: 'https://shop.example.com/p/1' } }),
      { geo, ua, visits: { previous: first.step.state, newVisitId: () => 'visit-2' } },
    );
    expect(row).toMatchObject({ visit_id: 'visit-1', is_landing: 0, referrer_host: 'shop.example.com', search_engine: '', keyword: '', path: '/cart' });
  });

  it('copes with empty and malformed input', () => {
    const { row } = buildPageViewRow(
      input({ ip: 'garbage', userAgent: '', page: { url: 'not a url', title: 'x'.repeat(2000), referrer: 'also bad' }, screen: 'huge', language: '!!' }),
      { geo, ua, visits: { previous: null, newVisitId: () => 'v' } },
    );
    expect(row).toMatchObject({
      ip: '', country: '', path: '', referrer: '', referrer_host: '', device: 'bot', screen: '', language: '',
    });
    expect(row.title).toHaveLength(512);
  });

  it('the visits row keeps landing source and context, with exit and duration from the state', () => {
    const first = buildPageViewRow(input(), { geo, ua, visits: { previous: null, newVisitId: () => 'visit-1' } });
    const second = buildPageViewRow(
      input({ at: T0 + 90_000, page: { url: 'https://shop.example.com/cart', title: '', referrer: 'https://shop.example.com/p/1' } }),
      { geo, ua, visits: { previous: first.step.state, newVisitId: () => 'x' } },
    );
    const v = buildVisitRow(first.row, second.step.state, { url: second.row.url, path: second.row.path }, true);
    expect(v).toMatchObject({
      visit_id: 'visit-1', started_at: '2026-01-01T08:00:00.000Z', ended_at: '2026-01-01T08:01:30.000Z',
      pages: 2, duration_ms: 90_000, landing_path: '/p/1', exit_path: '/cart', chatted: 1,
      search_engine: 'baidu', keyword: '退货', version: T0 + 90_000,
    });
  });

  it.each([['zh-CN', 'zh-cn'], ['en_US', 'en-us'], ['zh-Hant-TW', 'zh-hant-tw'], ['', ''], ['<script>', '']])(
    'normalizeLanguage(%j) = %j',
    (a, b) => {
      expect(normalizeLanguage(a)).toBe(b);
    },
  );
});

describe('honourDnt', () => {
  it.each<[boolean, Record<string, string>, boolean]>([
    [true, { dnt: '1' }, true],
    [true, { DNT: '1' }, true],
    [true, { 'sec-gpc': '1' }, true],
    [true, { dnt: '0' }, false],
    [true, {}, false],
    [false, { dnt: '1', 'sec-gpc': '1' }, false],
  ])('honour=%s headers=%j → skip=%s', (honour, headers, skip) => {
    expect(honourDnt({ honourDnt: honour }, headers)).toBe(skip);
  });
});
