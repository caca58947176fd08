// How many widget page views per second the tracking pipeline takes end to end:
// HTTP beacon → VisitorTracker (sessionisation, geo, UA, member check) →
// analytics sink → chDB, with visitor state written behind to Postgres.
//   npx tsx load-tests/tracking-ingest.ts [views=20000] [concurrency=64] [visitors=2000]
// Boots the real server in this process (a fresh database on the Postgres server
// of LOAD_PG_URL, chDB in a temp dir, TRUSTED_PROXIES=127.0.0.1), drives
// POST /api/v1/widget/track with text/plain beacons from `concurrency` keep-alive
// clients, flushes, then counts the rows in chDB. The client shares the CPU with
// the server (2 shared cores here), so the figure is a floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../server/src/config.js';
import { createLogger } from '../server/src/logger.js';
import { startServer } from '../server/src/server.js';
import { openClickHouse } from '../server/src/adapters/clickhouse/client.js';
import { createDatabase } from './lib/target.js';
import { postText } from './lib/post-text.js';

const views = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 64);
const visitors = Number(process.argv[4] ?? 2000);

const REFS = [
  'https://www.baidu.com/s?wd=%E9%80%80%E8%B4%A7', 'https://m.baidu.com/s?word=%E4%BC%98%E6%83%A0%E5%88%B8',
  'https://www.sogou.com/web?query=%E5%AE%A2%E6%9C%8D', 'https://m.so.com/s?q=abc', 'https://m.sm.cn/s?q=%E9%9E%8B',
  'https://cn.bing.com/search?q=return', 'https://www.google.com.hk/search?q=live+chat', '',
];
const IPS = ['110.185.39.26', '58.60.1.1', '61.135.169.125', '114.114.114.114', '223.5.5.5', '36.110.1.1'];
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0.4758.101 Mobile Safari/537.36 UCBrowser/15.3.2.1240',
];

const dataDir = mkdtempSync(join(tmpdir(), 'sb-track-load-'));
const db = await createDatabase(`sb_track_load_${process.pid}`, { synchronousCommit: true });
const config = loadConfig({
  ...process.env, DATABASE_URL: db.ownerUrl, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'true', TRUSTED_PROXIES: '127.0.0.1',
  // 2000 visitors behind 6 addresses: the per-IP beacon limit would refuse most of them.
  TRACK_LIMIT_PER_IP: process.env.TRACK_LIMIT_PER_IP ?? '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const server = await startServer(config, createLogger(config.logLevel));
const key = server.demo!.publicKey;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const url = `${server.url}/api/v1/widget/track?key=${key}`;

let next = 0;
let failed = 0;
async function client(): Promise<void> {
  for (let i = next++; i < views; i = next++) {
    const v = i % visitors;
    const n = Math.floor(i / visitors);
    const body = JSON.stringify({
      type: 'view', vid: `load-visitor-${v}`, url: `https://shop.example.cn/item/${(v * 7 + n) % 3000}`, title: '商品详情',
      ref: n === 0 ? REFS[v % REFS.length] : `https://shop.example.cn/item/${(v * 7 + n - 1) % 3000}`, screen: '1920x1080', lang: 'zh-CN',
    });
    const status = await postText(url, agent, body, { 'x-forwarded-for': IPS[v % IPS.length]!, 'user-agent': UAS[v % UAS.length]! });
    if (status !== 200) failed++;
  }
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, client));
const httpMs = performance.now() - t0;
await server.tracker.flush();
const totalMs = performance.now() - t0;
loop.disable();
const cpu = process.cpuUsage(cpu0);

const ch = await openClickHouse({ dataDir: join(dataDir, 'ch'), logger: createLogger('warn') });
const count = async (q: string) => Number((await (await ch.client.query({ query: q, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
const pageViews = await count(`SELECT count() AS n FROM page_views WHERE visitor_id LIKE 'load-visitor-%'`);
const visitRows = await count(`SELECT count() AS n FROM visits WHERE visitor_id LIKE 'load-visitor-%'`);
const regions = await count(`SELECT uniqExact(city) AS n FROM page_views WHERE visitor_id LIKE 'load-visitor-%'`);

const result = {
  views, concurrency, visitors, failed,
  httpSeconds: +(httpMs / 1000).toFixed(2),
  viewsPerSecondHttp: Math.round(views / (httpMs / 1000)),
  rowsInChdb: { pageViews, visits: visitRows, cities: regions },
  /** page_views + visits rows that reached chDB per second, HTTP start to flush done */
  eventsPerSecondIntoChdb: Math.round((pageViews + visitRows) / (totalMs / 1000)),
  pageViewsPerSecondIntoChdb: Math.round(pageViews / (totalMs / 1000)),
  /** share of one core this process got: on a shared machine the figures scale with it */
  cpuShare: +((cpu.user + cpu.system) / 1000 / totalMs).toFixed(2),
  eventLoopDelayMs: { p99: +(loop.percentile(99) / 1e6).toFixed(1), max: +(loop.max / 1e6).toFixed(1) },
};
console.log(JSON.stringify(result, null, 2));
await ch.close();
agent.destroy();
await server.close();
await db.drop();
rmSync(dataDir, { recursive: true, force: true });
if (failed > 0 || pageViews !== views) process.exitCode = 1;
