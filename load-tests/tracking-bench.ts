// Tracking pipeline vs a raw chDB insert, measured in one run on one machine.
//   npx tsx load-tests/tracking-bench.ts [views=20000] [concurrency=32] [visitors=2000]
// Pipeline: the real server in this process (a fresh database on the Postgres server
// of LOAD_PG_URL, chDB in a temp dir, default beacon limits, TRUSTED_PROXIES=127.0.0.1)
// takes `views` page-view beacons on POST /api/v1/widget/track from `concurrency`
// keep-alive clients (every visitor behind its own address), then the analytics
// sink is flushed: parse, rate limit, sessionise, geo + UA lookup, batch, insert.
// Baseline: the very rows the pipeline wrote (page_views and visits), read back and
// inserted into empty copies of those tables in the sink's batch size and with its
// INSERT settings: what chDB alone takes. The ratio is pipeline / baseline.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../server/src/config.js';
import { createLogger } from '../server/src/logger.js';
import { startServer } from '../server/src/server.js';
import { createDatabase } from './lib/target.js';
import { postText } from './lib/post-text.js';

const views = Number(process.argv[2] ?? 20_000);
const concurrency = Number(process.argv[3] ?? 32);
const visitors = Number(process.argv[4] ?? 2000);
const SINK_BATCH = 5000; // the ClickHouse sink's default maxBatch

// Landing referrers (search engines, one direct) and addresses in several provinces.
const LANDINGS = [
  'https://www.baidu.com/s?wd=%E8%BF%90%E5%8A%A8%E9%9E%8B', 'https://m.sogou.com/web/searchList.jsp?keyword=%E7%99%BB%E5%B1%B1',
  'https://www.so.com/s?q=%E5%86%B2%E9%94%8B%E8%A1%A3', 'https://m.sm.cn/s?q=%E8%83%8C%E5%8C%85', 'https://www.bing.com/search?q=trail+shoes', '',
];
const NETS = ['110.185.39', '58.60.1', '61.135.169', '114.114.114', '223.5.5', '36.110.1'];
const AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
];

const dataDir = mkdtempSync(join(tmpdir(), 'sb-track-bench-'));
const db = await createDatabase(`sb_track_bench_${process.pid}`, { synchronousCommit: true });
const config = loadConfig({
  ...process.env, DATABASE_URL: db.ownerUrl, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_DEMO: 'true',
  TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const server = await startServer(config, createLogger(config.logLevel));
const ch = server.analytics.client;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const url = `${server.url}/api/v1/widget/track?key=${server.demo!.publicKey}`;

const count = async (table: string) =>
  Number((await (await ch.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);

// --- pipeline ---------------------------------------------------------------
let next = 0;
const statuses = new Map<number, number>();
async function client(): Promise<void> {
  for (let i = next++; i < views; i = next++) {
    const v = i % visitors;
    const n = Math.floor(i / visitors);
    const page = (k: number) => `https://outdoor.example.cn/p/${(v * 13 + k) % 5000}`;
    const body = JSON.stringify({
      type: 'view', vid: `bench-visitor-${v}`, url: page(n), title: '商品详情',
      ref: n === 0 ? LANDINGS[v % LANDINGS.length] : page(n - 1), screen: '390x844', lang: 'zh-CN',
    });
    const ip = `${NETS[v % NETS.length]}.${1 + (Math.floor(v / NETS.length) % 250)}`;
    const status = await postText(url, agent, body, { 'x-forwarded-for': ip, 'user-agent': AGENTS[v % AGENTS.length]! });
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, client));
await server.tracker.flush();
const pipelineMs = performance.now() - t0;
const pageViews = await count('page_views');
const visitRows = await count('visits');

// --- baseline: the same rows, straight into chDB --------------------------------
async function rawInsert(table: string): Promise<number> {
  await ch.command({ query: `DROP TABLE IF EXISTS ${table}_raw` });
  await ch.command({ query: `CREATE TABLE ${table}_raw AS ${table}` });
  const rows = await (await ch.query({ query: `SELECT * FROM ${table}`, format: 'JSONEachRow' })).json<Record<string, unknown>>();
  const lines = rows.map((r) => JSON.stringify(r));
  const start = performance.now();
  for (let i = 0; i < lines.length; i += SINK_BATCH) {
    const body = lines.slice(i, i + SINK_BATCH).join('\n') + '\n';
    const res = await ch.exec({
      query: `INSERT INTO ${table}_raw SETTINGS insert_deduplication_token = 'raw:${table}:${i}', date_time_input_format = 'best_effort', input_format_skip_unknown_fields = 1 FORMAT JSONEachRow`,
      values: Readable.from([Buffer.from(body)], { objectMode: false }),
    });
    res.stream.destroy();
  }
  return performance.now() - start;
}
const rawMs = (await rawInsert('page_views')) + (await rawInsert('visits'));
const rawPageViews = await count('page_views_raw');

const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
const pipelineRate = rate(pageViews, pipelineMs);
const rawRate = rate(rawPageViews, rawMs);
console.log(JSON.stringify({
  views, concurrency, visitors,
  statuses: Object.fromEntries(statuses),
  rowsInChdb: { pageViews, visits: visitRows },
  pipeline: { seconds: +(pipelineMs / 1000).toFixed(2), pageViewsPerSecond: pipelineRate },
  rawInsert: { seconds: +(rawMs / 1000).toFixed(2), pageViewsPerSecond: rawRate },
  /** page views per second through the pipeline as a share of what chDB alone takes */
  pipelineVsRaw: +(pipelineRate / rawRate).toFixed(3),
}, null, 2));

agent.destroy();
await server.close();
await db.drop();
rmSync(dataDir, { recursive: true, force: true });
if (pageViews !== views || rawPageViews !== pageViews) process.exitCode = 1;
