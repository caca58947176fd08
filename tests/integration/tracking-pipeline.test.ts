// I1 end to end: 1,000 widget page views through POST /api/v1/widget/track on
// the real server (TRUSTED_PROXIES=127.0.0.1, clients' addresses in
// X-Forwarded-For), then the page_views / visits rows read back from chDB:
// engine and keyword per landing, region from the forwarded address, new vs
// returning, the visit split after 30 idle minutes; a spoofed X-Forwarded-For
// from an untrusted peer is not believed; a restart continues visits from Postgres.
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { createLogger } from '../../server/src/logger.js';

const VISITORS = 20;
const VIEWS_PER_VISITOR = 50;
const SPLIT_AT = 25; // the view after which the visitor goes idle for 31 minutes
const STEP_MS = 10_000;
const IDLE_GAP_MS = 31 * 60_000;

// Landing referrers: every engine the issue names, PC and mobile variants.
const REFS: Array<[string, string, string]> = [
  ['https://www.baidu.com/s?wd=%E9%80%80%E8%B4%A7&rsv_spt=1', 'baidu', '退货'],
  ['https://m.baidu.com/s?word=%E4%BC%98%E6%83%A0%E5%88%B8&sa=ib', 'baidu', '优惠券'],
  ['https://www.baidu.com/s?ie=gbk&wd=%CD%CB%BB%F5', 'baidu', '退货'],
  ['https://www.sogou.com/web?query=%E9%80%80%E8%B4%A7&ie=utf8', 'sogou', '退货'],
  ['https://m.sogou.com/web/searchList.jsp?keyword=%E5%AE%A2%E6%9C%8D', 'sogou', '客服'],
  ['https://www.so.com/s?q=%E9%80%80%E8%B4%A7&src=srp', '360', '退货'],
  ['https://m.so.com/s?q=abc+def', '360', 'abc def'],
  ['https://m.sm.cn/s?q=%E9%80%80%E8%B4%A7&from=smor', 'shenma', '退货'],
  ['https://yz.m.sm.cn/s?q=%E4%BC%98%E6%83%A0%E5%88%B8', 'shenma', '优惠券'],
  ['https://cn.bing.com/search?q=%E9%80%80%E8%B4%A7&form=QBLH', 'bing', '退货'],
  ['https://www.bing.com/search?q=return+policy', 'bing', 'return policy'],
  ['https://www.google.com/search?q=live+chat', 'google', 'live chat'],
  ['https://www.google.com.hk/search?q=%E5%AE%A2%E6%9C%8D', 'google', '客服'],
];
const IPS: Array<[string, string, string]> = [
  ['110.185.39.26', '四川', '成都'], ['58.60.1.1', '广东', '深圳'], ['61.135.169.125', '北京', '北京'],
  ['114.114.114.114', '江苏', '南京'], ['223.5.5.5', '浙江', '杭州'],
];
const UAS: Array<[string, string, string, string]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Windows', 'desktop'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari', 'iOS', 'mobile'],
];

let server: TestServer;
let ch: ClickHouseHandle;
let key: string;
let companyId: string;
const t0 = Math.floor((Date.now() - 3 * 3600_000) / 1000) * 1000;
const timeOf = (i: number) => t0 + i * STEP_MS + (i >= SPLIT_AT ? IDLE_GAP_MS : 0);
const vid = (j: number) => `pv-visitor-${String(j).padStart(2, '0')}`;
const pageUrl = (j: number, i: number) => `https://shop.example/p/${j}/${i}?from=x`;
const landingRef = (j: number, visit: 1 | 2) => REFS[(j + visit - 1) % REFS.length]!;

function beacon(body: Record<string, unknown>, headers: Record<string, string> = {}, localAddress?: string): Promise<{ status: number; json: any }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/widget/track?key=${key}`, {
      method: 'POST', localAddress,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(data), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function rows<T>(query: string): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: { c: companyId }, format: 'JSONEachRow' });
  return rs.json<T>();
}

function view(j: number, i: number) {
  const ref = i === 0 ? landingRef(j, 1)[0] : i === SPLIT_AT ? landingRef(j, 2)[0] : pageUrl(j, i - 1);
  const [ip] = IPS[j % IPS.length]!;
  return beacon(
    { type: 'view', vid: vid(j), url: pageUrl(j, i), title: `Page ${i}`, ref, screen: '1920x1080', lang: 'zh-CN' },
    { 'x-forwarded-for': `10.9.9.9, ${ip}`, 'user-agent': UAS[j % UAS.length]![0] },
  );
}

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  key = server.demo!.publicKey;
  companyId = server.demo!.companyId;
  ch = await openClickHouse({ dataDir: join(server.dataDir, 'ch'), logger: createLogger('warn') });
  // 50 rounds; in each, every visitor views one page at the same (injected) time.
  for (let i = 0; i < VIEWS_PER_VISITOR; i++) {
    server.tracker.now = () => timeOf(i);
    const answers = await Promise.all(Array.from({ length: VISITORS }, (_, j) => view(j, i)));
    for (const a of answers) expect(a.status).toBe(200);
  }
  await server.tracker.flush();
});

afterAll(async () => {
  await ch?.close();
  await server?.dispose();
});

interface Landing { visitor_id: string; visit_id: string; search_engine: string; keyword: string; province: string; city: string; is_new: number; visit_number: number; ip: string; browser: string; os: string; device: string; screen: string; language: string }
interface Visit { visitor_id: string; visit_id: string; pages: number; duration_ms: string; is_new: number; visit_number: number; search_engine: string; keyword: string; landing_path: string; exit_path: string; province: string }

describe('1,000 page views through the tracking endpoint, read back from chDB', () => {
  it('stores exactly 1,000 page views in 40 visits of 25 pages', async () => {
    const [total] = await rows<{ n: string; visits: string; visitors: string }>(
      `SELECT count() AS n, uniqExact(visit_id) AS visits, uniqExact(visitor_id) AS visitors
       FROM page_views WHERE company_id = {c:String} AND visitor_id LIKE 'pv-visitor-%'`);
    // chDB answers 64-bit integers as numbers, a ClickHouse server as strings.
    expect([total!.n, total!.visits, total!.visitors].map(Number)).toEqual([1000, 40, 20]);
    const perVisit = await rows<{ n: string }>(
      `SELECT count() AS n FROM page_views WHERE company_id = {c:String} AND visitor_id LIKE 'pv-visitor-%' GROUP BY visit_id`);
    expect(new Set(perVisit.map((r) => Number(r.n)))).toEqual(new Set([25]));
  });

  it('landing views carry engine, keyword, region, new/returning, browser and screen', async () => {
    const landings = await rows<Landing>(
      `SELECT * FROM page_views WHERE company_id = {c:String} AND visitor_id LIKE 'pv-visitor-%' AND is_landing = 1 ORDER BY visitor_id, ts`);
    expect(landings).toHaveLength(40);
    for (let j = 0; j < VISITORS; j++) {
      const mine = landings.filter((r) => r.visitor_id === vid(j));
      expect(mine).toHaveLength(2);
      const [, province, city] = IPS[j % IPS.length]!;
      const [, browser, os, device] = UAS[j % UAS.length]!;
      mine.forEach((r, k) => {
        const [, engine, keyword] = landingRef(j, (k + 1) as 1 | 2);
        expect(r, `${vid(j)} visit ${k + 1}`).toMatchObject({
          search_engine: engine, keyword, province, city, ip: IPS[j % IPS.length]![0],
          is_new: k === 0 ? 1 : 0, visit_number: k + 1, browser, os, device, screen: '1920x1080', language: 'zh-cn',
        });
      });
    }
    // Inner pages come from the site itself: no engine, and the visit's numbering.
    const inner = await rows<{ engines: string[]; keywords: string[] }>(
      `SELECT groupUniqArray(search_engine) AS engines, groupUniqArray(keyword) AS keywords
       FROM page_views WHERE company_id = {c:String} AND visitor_id LIKE 'pv-visitor-%' AND is_landing = 0`);
    expect(inner[0]).toEqual({ engines: [''], keywords: [''] });
  });

  it('visits: split after 30 idle minutes, 25 pages and 240 s each, landing and exit pages, engine of the landing', async () => {
    const visits = await rows<Visit>(
      `SELECT * FROM visits FINAL WHERE company_id = {c:String} AND visitor_id LIKE 'pv-visitor-%' ORDER BY visitor_id, started_at`);
    expect(visits).toHaveLength(40);
    for (let j = 0; j < VISITORS; j++) {
      const [first, second] = visits.filter((v) => v.visitor_id === vid(j));
      for (const [v, n, from] of [[first!, 1, 0], [second!, 2, SPLIT_AT]] as const) {
        const [, engine, keyword] = landingRef(j, n);
        expect(Number(v.duration_ms)).toBe(24 * STEP_MS);
        expect(v).toMatchObject({
          pages: 25, is_new: n === 1 ? 1 : 0, visit_number: n, search_engine: engine, keyword,
          landing_path: `/p/${j}/${from}`, exit_path: `/p/${j}/${from + 24}`, province: IPS[j % IPS.length]![1],
        });
      }
    }
  });

  it('believes X-Forwarded-For only from the trusted proxy: a spoofed header from another peer is ignored', async () => {
    server.tracker.now = () => timeOf(60);
    const spoofed = await beacon(
      { vid: 'pv-spoofed-01', url: 'https://shop.example/', ref: REFS[0]![0] },
      { 'x-forwarded-for': '58.60.1.1' }, '127.0.0.2',
    );
    expect(spoofed.status).toBe(200);
    await server.tracker.flush();
    const [row] = await rows<{ ip: string; country: string; province: string }>(
      `SELECT ip, country, province FROM page_views WHERE company_id = {c:String} AND visitor_id = 'pv-spoofed-01'`);
    expect(row).toEqual({ ip: '127.0.0.2', country: '局域网', province: '' });
  });

  it('a restarted server continues the visit from Postgres, and counts the next one as the third', async () => {
    const before = await server.stores.visitors.visitor(companyId, vid(0));
    expect(before).toMatchObject({ visitCount: 2, region: '中国 四川 成都' });
    server = await server.restart();
    key = server.demo!.publicKey;
    server.tracker.now = () => timeOf(VIEWS_PER_VISITOR) + 60_000;
    const same = await view(0, VIEWS_PER_VISITOR);
    expect(same.json).toMatchObject({ tracked: true, visitId: before!.visit!.state.visitId, visitNumber: 2, isNewVisit: false });
    server.tracker.now = () => timeOf(VIEWS_PER_VISITOR) + 60_000 + IDLE_GAP_MS;
    const next = await view(0, VIEWS_PER_VISITOR + 1);
    expect(next.json).toMatchObject({ visitNumber: 3, isNewVisit: true });
  });
});
