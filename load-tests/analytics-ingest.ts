// How fast the analytics sink pushes page views into chDB (or CLICKHOUSE_URL).
//   npx tsx load-tests/analytics-ingest.ts [rows=200000] [maxBatch=5000]
// Prints record() cost on the caller's thread and end-to-end rows/s until flush()
// resolves, then checks the count in ClickHouse.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openClickHouse } from '../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../server/src/adapters/clickhouse/migrate.js';
import { createClickHouseSink } from '../server/src/adapters/clickhouse/sink.js';

const rows = Number(process.argv[2] ?? 200_000);
const maxBatch = Number(process.argv[3] ?? 5000);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const root = mkdtempSync(join(tmpdir(), 'sb-ingest-'));
const ch = await openClickHouse({ url: process.env.CLICKHOUSE_URL, dataDir: join(root, 'ch'), database: 'sb_load', logger });
await migrateClickHouse(ch.client, logger);
const sink = createClickHouseSink({ client: ch.client, spoolDir: join(root, 'spool'), logger, maxBatch });

const company = `load-${Date.now()}`;
const engines = ['baidu', 'sogou', '360', 'bing', 'google', ''];
const cities = ['北京', '上海', '成都', '广州', '深圳'];
const t0 = Date.UTC(2026, 0, 1);
const start = performance.now();
let recordMs = 0;
// Feed in slices so the event loop can run inserts meanwhile, as in the server.
for (let i = 0; i < rows; ) {
  const r0 = performance.now();
  for (const end = Math.min(rows, i + 10_000); i < end; i++) {
    sink.record({
      table: 'page_views',
      companyId: company,
      row: {
        visitor_id: `vis-${i % 20_000}`, visit_id: `v-${i % 50_000}`, ts: t0 + i * 137,
        url: `https://shop.example.cn/item/${i % 3000}?from=ad`, path: `/item/${i % 3000}`, title: '商品详情',
        referrer: 'https://www.baidu.com/s?wd=%E9%80%80%E8%B4%A7', referrer_host: 'www.baidu.com',
        search_engine: engines[i % engines.length], keyword: '退货 运费', is_landing: i % 4 === 0 ? 1 : 0,
        visit_number: 1 + (i % 5), is_new: i % 5 === 0 ? 1 : 0, country: '中国', province: '四川', city: cities[i % cities.length],
        isp: '电信', ip: `110.185.${i % 256}.${(i >> 8) % 256}`, browser: 'Chrome', browser_version: '126',
        os: 'Windows', device: 'desktop', screen: '1920x1080', language: 'zh-CN',
      },
    });
  }
  recordMs += performance.now() - r0;
  await new Promise((r) => setImmediate(r));
}
await sink.flush();
const totalMs = performance.now() - start;

const rs = await ch.client.query({
  query: 'SELECT count() AS n FROM page_views WHERE company_id = {c:String}',
  query_params: { c: company },
  format: 'JSONEachRow',
});
const stored = Number((await rs.json<{ n: string }>())[0]?.n);
const k = sink.counters();
await sink.close();
await ch.close();
rmSync(root, { recursive: true, force: true });

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
process.stdout.write(
  [
    `analytics ingest → ${ch.kind}, ${fmt(rows)} page_views, maxBatch ${maxBatch}`,
    `  end to end: ${fmt(totalMs)} ms, ${fmt(rows / (totalMs / 1000))} rows/s`,
    `  record():   ${(recordMs * 1000 / rows).toFixed(2)} µs/event on the caller (${fmt(rows / (recordMs / 1000))} events/s)`,
    `  stored ${fmt(stored)}, inserted ${fmt(k.insertedRows)}, spooled ${fmt(k.spooledRows)}, dropped ${fmt(k.droppedRows)}`,
    '',
  ].join('\n'),
);
if (stored !== rows) process.exitCode = 1;
