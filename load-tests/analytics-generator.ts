// Realistic analytics data for reports (I2–I9): visits, page views, chats,
// offline messages and agent status changes for one company.
//  - generateDataset(): in TypeScript, through the real tracking row builders
//    (buildPageViewRow / buildVisitRow: sessionisation, referrer and UA
//    parsing), deterministic by seed. Tests insert it and check every report
//    against a plain-TS computation over the same rows. Visits and chats also
//    carry a superseded earlier version, so reports must deduplicate.
//  - generateInClickHouse(): INSERT ... SELECT FROM numbers() for the 10M
//    page-view benchmark; rows are made inside ClickHouse, nothing crosses.
// CLI: tsx load-tests/analytics-generator.ts [pageViews=10000000] [days=90] [dataDir]
import type { ClickHouseClient } from '@clickhouse/client';
import { buildPageViewRow, buildVisitRow, type PageViewRow, type VisitRow } from '../server/src/domain/tracking/page-view.js';
import { createUaParser } from '../server/src/domain/tracking/user-agent.js';
import type { GeoInfo } from '../server/src/domain/tracking/geo.js';
import type { VisitState } from '../server/src/domain/tracking/visits.js';

export interface FactRow {
  company_id: string; conversation_id: string; visitor_id: string; visit_id: string; agent_id: string; group_id: string;
  channel: string; created_at: string; assigned_at: string | null; wait_ms: number | null; first_response_ms: number | null;
  ended_at: string; duration_ms: number; messages_visitor: number; messages_agent: number; transferred: 0 | 1; ended_by: string;
  rating: number | null; topic: string; category: string; country: string; province: string; city: string;
  search_engine: string; keyword: string; version: number;
}
export interface OfflineRow {
  company_id: string; id: string; ts: string; reason: string; type: string; source_url: string; country: string; province: string;
  city: string; ip: string; search_engine: string; keyword: string; replied: 0 | 1; version: number;
}
export interface StatusRow { company_id: string; agent_id: string; ts: string; status: string }

export interface Dataset {
  page_views: PageViewRow[];
  /** every version written, as the live pipeline would */
  visits: VisitRow[];
  conversation_facts: FactRow[];
  offline_messages: OfflineRow[];
  agent_status_events: StatusRow[];
}

export interface DatasetOptions {
  companyId: string;
  seed: number;
  visitors: number;
  /** epoch ms: visits start in [start, end) */
  start: number;
  end: number;
  /** instants (e.g. local midnights, month ends) that visits and chats cluster around, ±2 h */
  edges?: number[];
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REFERRERS = [
  '', '', '', 'https://www.baidu.com/s?wd=%E5%9C%A8%E7%BA%BF%E5%AE%A2%E6%9C%8D', 'https://www.baidu.com/s?wd=live+chat',
  'https://www.sogou.com/web?query=%E5%AE%A2%E6%9C%8D%E7%B3%BB%E7%BB%9F', 'https://www.bing.com/search?q=help+desk',
  'https://news.example.org/article/1', 'https://weibo.com/u/123', 'https://www.google.com/search?q=live+chat',
];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
];
const REGIONS: GeoInfo[] = [
  { country: '中国', province: '北京', city: '北京', isp: '联通', countryCode: 'CN' },
  { country: '中国', province: '上海', city: '上海', isp: '电信', countryCode: 'CN' },
  { country: '中国', province: '广东', city: '深圳', isp: '电信', countryCode: 'CN' },
  { country: '中国', province: '四川', city: '成都', isp: '移动', countryCode: 'CN' },
  { country: '美国', province: '加利福尼亚州', city: '', isp: '', countryCode: 'US' },
];
const PATHS = ['/', '/pricing', '/features', '/signup', '/signup/done', '/docs/start', '/contact'];
const SCREENS = ['1920x1080', '1366x768', '390x844', '2560x1440'];
const LANGS = ['zh-CN', 'zh-CN', 'en-US', 'zh-TW'];
export const AGENTS = ['alice', 'bob', 'carol'];
const TOPICS = ['pricing', 'billing', 'technical', ''];
const CATEGORIES = ['sales', 'support'];

const iso = (ms: number) => new Date(ms).toISOString();

export function generateDataset(o: DatasetOptions): Dataset {
  const r = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const ua = createUaParser();
  const out: Dataset = { page_views: [], visits: [], conversation_facts: [], offline_messages: [], agent_status_events: [] };
  let ids = 0;
  const id = (p: string) => `${p}${o.seed}-${++ids}`;
  const when = () => {
    if (o.edges?.length && r() < 0.4) return Math.min(o.end - 1, Math.max(o.start, pick(o.edges) + Math.floor((r() * 4 - 2) * 3_600_000)));
    return o.start + Math.floor(r() * (o.end - o.start));
  };

  for (let v = 0; v < o.visitors; v++) {
    const visitorId = id('v');
    const region = pick(REGIONS);
    const geo = { lookup: () => region };
    const agent = pick(UAS);
    const screen = pick(SCREENS);
    const lang = pick(LANGS);
    const starts = Array.from({ length: 1 + Math.floor(r() * r() * 4) }, when).sort((a, b) => a - b);
    let state: VisitState | null = null;
    let lastStart = -Infinity;
    for (const start0 of starts) {
      // Keep visits apart by more than the idle limit so each start opens one.
      const start = Math.max(start0, lastStart + 3 * 3_600_000);
      if (start >= o.end) break;
      lastStart = start;
      const referrer = pick(REFERRERS);
      const pages = 1 + Math.floor(r() * r() * 6);
      let at = start;
      let landing: PageViewRow | null = null;
      let lastPath = '';
      for (let p = 0; p < pages; p++) {
        const path = p === 0 ? pick(PATHS) : PATHS[Math.min(PATHS.length - 1, PATHS.indexOf(lastPath) + 1 + Math.floor(r() * 2))]!;
        const built = buildPageViewRow({
          companyId: o.companyId, visitorId, ip: '203.0.113.7', userAgent: agent,
          page: { url: `https://shop.example.com${path}`, title: path, referrer: p === 0 ? referrer : `https://shop.example.com${lastPath}` },
          screen, language: lang, at,
        }, { geo, ua, visits: { previous: state, newVisitId: () => id('s') } });
        out.page_views.push(built.row);
        state = built.step.state;
        if (p === 0) {
          landing = built.row;
          // An early version of the visit row, superseded below: FINAL must drop it.
          out.visits.push(buildVisitRow(landing, state, { url: built.row.url, path }, false));
        }
        lastPath = path;
        at += 5_000 + Math.floor(r() * 120_000);
      }
      // A heartbeat after the last page: the visit's end and the exit page's time.
      state = { ...state!, lastSeenAt: at };
      const chatted = r() < 0.25;
      out.visits.push(buildVisitRow(landing!, state, { url: `https://shop.example.com${lastPath}`, path: lastPath }, chatted));
      if (chatted) out.conversation_facts.push(...chat(o.companyId, landing!, state, id('c'), r, pick));
    }
  }
  for (let i = 0; i < Math.ceil(o.visitors / 5); i++) {
    const region = pick(REGIONS);
    const ts = when();
    out.offline_messages.push({
      company_id: o.companyId, id: id('o'), ts: iso(ts), reason: pick(['offline', 'busy']), type: pick(['question', 'complaint']),
      source_url: 'https://shop.example.com/contact', country: region.country, province: region.province, city: region.city,
      ip: '203.0.113.9', search_engine: r() < 0.5 ? 'baidu' : '', keyword: '', replied: 0, version: ts,
    });
  }
  for (const agentId of AGENTS) {
    let t = o.start - 86_400_000 + Math.floor(r() * 3_600_000);
    while (t < o.end) {
      out.agent_status_events.push({ company_id: o.companyId, agent_id: agentId, ts: iso(t), status: pick(['online', 'online', 'busy', 'away', 'offline']) });
      t += 600_000 + Math.floor(r() * 6 * 3_600_000);
    }
  }
  return out;
}

function chat(companyId: string, landing: PageViewRow, state: VisitState, convId: string, r: () => number, pick: <T>(xs: readonly T[]) => T): FactRow[] {
  const created = state.startedAt + Math.floor(r() * Math.max(1, state.lastSeenAt - state.startedAt));
  const answered = r() < 0.9;
  const wait = answered ? 1_000 + Math.floor(r() * 60_000) : null;
  const duration = 30_000 + Math.floor(r() * 900_000);
  const rated = answered && r() < 0.5;
  const row: FactRow = {
    company_id: companyId, conversation_id: convId, visitor_id: landing.visitor_id, visit_id: state.visitId,
    agent_id: answered ? pick(AGENTS) : '', group_id: 'g1', channel: 'web', created_at: iso(created),
    assigned_at: wait === null ? null : iso(created + wait), wait_ms: wait, first_response_ms: answered ? 2_000 + Math.floor(r() * 90_000) : null,
    ended_at: iso(created + duration), duration_ms: duration, messages_visitor: 1 + Math.floor(r() * 10), messages_agent: answered ? Math.floor(r() * 10) : 0,
    transferred: r() < 0.1 ? 1 : 0, ended_by: pick(['visitor', 'agent']), rating: rated ? 1 + Math.floor(r() * 5) : null,
    topic: pick(TOPICS), category: pick(CATEGORIES), country: landing.country, province: landing.province, city: landing.city,
    search_engine: landing.search_engine, keyword: landing.keyword, version: 2,
  };
  // A first version with other figures (before G1 re-evaluation); version 2 wins.
  return [{ ...row, version: 1, duration_ms: 1, rating: null, topic: 'stale' }, row];
}

export async function insertDataset(ch: ClickHouseClient, d: Dataset): Promise<void> {
  for (const [table, values] of Object.entries(d) as Array<[string, object[]]>) {
    if (values.length === 0) continue;
    await ch.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } });
  }
}

export interface BulkOptions { companyId: string; pageViews: number; days: number; end: number }
export interface BulkResult {
  pageViews: number; visits: number; chats: number; rows: number; seconds: number; rowsPerSecond: number;
  /** seconds per table's INSERT ... SELECT, and for the final merge ('optimize') */
  steps: Record<string, number>;
}

const arr = (xs: readonly string[]) => `[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * ClickHouse-side generation: visits from numbers(), page views by ARRAY JOIN
 * over each visit's pages, chats for a tenth of the visits. All values derive
 * from cityHash64 of the row number, so a run is reproducible.
 */
export async function generateInClickHouse(ch: ClickHouseClient, o: BulkOptions): Promise<BulkResult> {
  const visits = Math.max(1, Math.round(o.pageViews / 3.3));
  const span = o.days * 86_400_000;
  const params = { company: o.companyId, start: new Date(o.end - span).toISOString().slice(0, 23).replace('T', ' '), span, visits };
  const h = (salt: number) => `cityHash64(number, ${salt})`;
  const engines = arr(['baidu', 'baidu', 'sogou', '360', 'bing', '', '', '', '', '', '']);
  // Bulk load: no insert-dedup hashing of blocks (the data is made once), no
  // replacing-merge of each inserted block, both cores on the insert.
  const clickhouse_settings = { insert_deduplicate: 0 as const, optimize_on_insert: 0 as const, max_insert_threads: '2' };
  const steps: Record<string, number> = {};
  const step = async (name: string, run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    steps[name] = (performance.now() - t) / 1000;
  };
  const t0 = performance.now();
  await step('visits', () => ch.command({
    query: `INSERT INTO visits
      SELECT {company:String} AS company_id, concat('gs', toString(number)) AS visit_id,
        concat('gv', toString(${h(1)} % {visits:UInt64} * 2 DIV 5)) AS visitor_id,
        toDateTime64({start:String}, 3, 'UTC') + toIntervalMillisecond(least({span:UInt64} - 1, intDiv(number * {span:UInt64}, {visits:UInt64}) + ${h(2)} % 60000)) AS started_at,
        started_at + toIntervalMillisecond(duration_ms) AS ended_at,
        toUInt32(if(${h(3)} % 10 < 4, 1, 2 + ${h(3)} % 7)) AS pages, toUInt64((pages - 1) * 45000 + ${h(4)} % 30000) AS duration_ms,
        concat('https://shop.example.com', landing_path) AS landing_url, ${arr(PATHS)}[1 + ${h(5)} % ${PATHS.length}] AS landing_path,
        concat('https://shop.example.com', exit_path) AS exit_url, if(pages = 1, landing_path, ${arr(PATHS)}[1 + ${h(6)} % ${PATHS.length}]) AS exit_path,
        toUInt8(${h(7)} % 10 = 0) AS chatted,
        if(search_engine != '', 'https://www.baidu.com/s?wd=x', if(referrer_host != '', concat('https://', referrer_host, '/'), '')) AS referrer,
        if(search_engine = '' AND ${h(8)} % 3 = 0, ${arr(['news.example.org', 'weibo.com', 'zhihu.com'])}[1 + ${h(9)} % 3], '') AS referrer_host,
        ${engines}[1 + ${h(10)} % 11] AS search_engine,
        if(search_engine != '', ${arr(['在线客服', 'live chat', '客服系统', 'help desk', 'crm'])}[1 + ${h(11)} % 5], '') AS keyword,
        '' AS utm_source, '' AS utm_medium, '' AS utm_campaign, '' AS utm_term, '' AS utm_content,
        toUInt32(1 + ${h(12)} % 4) AS visit_number, toUInt8(visit_number = 1) AS is_new,
        '中国' AS country, ${arr(['北京', '上海', '广东', '四川', '浙江', '江苏'])}[1 + ${h(13)} % 6] AS province, province AS city, '' AS isp, '' AS ip,
        ${arr(['Chrome', 'Safari', 'Edge', 'WeChat', 'Firefox'])}[1 + ${h(14)} % 5] AS browser, '' AS browser_version,
        ${arr(['Windows', 'iOS', 'Android', 'macOS'])}[1 + ${h(15)} % 4] AS os, ${arr(['desktop', 'mobile'])}[1 + ${h(16)} % 2] AS device,
        ${arr(SCREENS)}[1 + ${h(17)} % ${SCREENS.length}] AS screen, ${arr(['zh-cn', 'en-us', 'zh-tw'])}[1 + ${h(18)} % 3] AS language,
        toUInt64(1) AS version
      FROM numbers({visits:UInt64})`,
    query_params: params, clickhouse_settings,
  }));
  await step('page_views', () => ch.command({
    query: `INSERT INTO page_views (company_id, visitor_id, visit_id, ts, url, path, title, is_landing, referrer, referrer_host,
        search_engine, keyword, visit_number, is_new, country, province, city, browser, os, device, screen, language)
      SELECT company_id, visitor_id, visit_id, started_at + toIntervalMillisecond(intDiv(duration_ms * i, pages)),
        concat('https://shop.example.com', p), p AS p, p,
        toUInt8(i = 0), referrer, referrer_host, search_engine, keyword, visit_number, is_new, country, province, city, browser, os, device, screen, language
      FROM visits ARRAY JOIN range(pages) AS i
      ARRAY JOIN [multiIf(i = 0, landing_path, i = pages - 1, exit_path, ${arr(PATHS)}[1 + cityHash64(visit_id, i) % ${PATHS.length}])] AS p
      WHERE company_id = {company:String}`,
    query_params: params, clickhouse_settings,
  }));
  await step('conversation_facts', () => ch.command({
    query: `INSERT INTO conversation_facts
      SELECT company_id, concat('gc', visit_id), visitor_id, visit_id, ${arr(AGENTS.concat(['dave', 'erin']))}[1 + cityHash64(visit_id, 1) % 5],
        'g1', 'web', started_at + toIntervalMillisecond(intDiv(duration_ms, 2)) AS created_at,
        created_at + toIntervalMillisecond(wait) AS assigned_at, toUInt32(wait) AS wait, toUInt32(wait + 3000 + cityHash64(visit_id, 3) % 60000),
        created_at + toIntervalMillisecond(dur) AS ended_at, toUInt64(dur) AS dur, 5, 4, 0, 'visitor',
        if(cityHash64(visit_id, 4) % 2 = 0, toNullable(toUInt8(1 + cityHash64(visit_id, 5) % 5)), NULL),
        ${arr(TOPICS)}[1 + cityHash64(visit_id, 6) % ${TOPICS.length}], ${arr(CATEGORIES)}[1 + cityHash64(visit_id, 7) % 2],
        country, province, city, search_engine, keyword, 1
      FROM (SELECT *, 1000 + cityHash64(visit_id, 2) % 60000 AS wait, 30000 + cityHash64(visit_id, 8) % 900000 AS dur
            FROM visits WHERE company_id = {company:String} AND chatted = 1)`,
    query_params: params, clickhouse_settings,
  }));
  await step('offline_messages', () => ch.command({
    query: `INSERT INTO offline_messages
      SELECT {company:String}, concat('go', toString(number)), toDateTime64({start:String}, 3, 'UTC') + toIntervalMillisecond(cityHash64(number, 20) % {span:UInt64}),
        'offline', 'question', 'https://shop.example.com/contact', '中国', '北京', '北京', '', '', '', 0, 1
      FROM numbers(intDiv({visits:UInt64}, 50))`,
    query_params: params, clickhouse_settings,
  }));
  await step('agent_status_events', () => ch.command({
    query: `INSERT INTO agent_status_events
      SELECT {company:String}, ${arr(AGENTS.concat(['dave', 'erin']))}[1 + number % 5],
        toDateTime64({start:String}, 3, 'UTC') + toIntervalMillisecond(intDiv(number, 5) * 7200000 + cityHash64(number) % 3600000),
        ${arr(['online', 'busy', 'away', 'offline'])}[1 + cityHash64(number, 1) % 4]
      FROM numbers(toUInt64({span:UInt64} / 7200000 * 5))`,
    query_params: params, clickhouse_settings,
  }));
  // What a long-running install has for past months: each versioned table's
  // partition merged into one part, so FINAL has no versions left to merge
  // (do_not_merge_across_partitions_select_final skips it). Counted in ingest.
  await step('optimize', async () => {
    for (const table of ['visits', 'conversation_facts', 'offline_messages']) await ch.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
  });
  const seconds = (performance.now() - t0) / 1000;
  const count = async (table: string) => {
    const rs = await ch.query({ query: `SELECT count() AS n FROM ${table} WHERE company_id = {company:String}`, query_params: params, format: 'JSONEachRow' });
    return Number(((await rs.json()) as Array<{ n: string }>)[0]!.n);
  };
  const [pv, vs, cs, om, st] = await Promise.all(['page_views', 'visits', 'conversation_facts', 'offline_messages', 'agent_status_events'].map(count));
  const rows = pv! + vs! + cs! + om! + st!;
  return { pageViews: pv!, visits: vs!, chats: cs!, rows, seconds, rowsPerSecond: rows / seconds, steps };
}
