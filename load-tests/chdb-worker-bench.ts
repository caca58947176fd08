// chDB on the main thread vs in its worker: what analytics ingest costs the chat thread.
//   npx tsx load-tests/chdb-worker-bench.ts [rows=200000]
// Each mode runs in its own child process (chDB binds one data directory per
// process): 200k page views through the real sink, while perf_hooks'
// monitorEventLoopDelay samples this thread's event loop. Prints p50/p99/max
// delay and rows/s per mode and the ratios worker/main, then how a JSON result
// is cheapest to hand across the port (bytes + JSON.parse here, or rows parsed
// in the worker and structured-cloned).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Readable } from 'node:stream';
import pino from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse } from '../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../server/src/adapters/clickhouse/migrate.js';
import { createClickHouseSink } from '../server/src/adapters/clickhouse/sink.js';

type Mode = 'main' | 'worker' | 'none';
interface Run { mode: Mode; rows: number; ms: number; rowsPerSec: number; p50: number; p99: number; max: number; stored: number; feedMs: number; drainP99: number }

const rows = Number(process.argv[2] ?? 200_000);
const child = process.env.CHDB_BENCH_MODE as Mode | undefined;

if (child) {
  process.stdout.write(JSON.stringify(await ingest(child, rows)) + '\n');
} else {
  const runs = (['main', 'worker', 'none'] as const).map((mode) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(rows)], {
      env: { ...process.env, CHDB_BENCH_MODE: mode }, encoding: 'utf8', maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`${mode} run failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Run;
  });
  const [m, w, none] = runs as [Run, Run, Run];
  const f = (n: number) => n.toFixed(1);
  const lines = [`chDB ingest, ${rows.toLocaleString('en-US')} page_views through the sink (event-loop delay of the calling thread, ms)`];
  for (const r of runs) {
    lines.push(`  ${r.mode.padEnd(6)} p50 ${f(r.p50)}  p99 ${f(r.p99)}  max ${f(r.max)}  ${Math.round(r.rowsPerSec).toLocaleString('en-US')} rows/s  (${Math.round(r.ms)} ms, fed in ${Math.round(r.feedMs)}, p99 after feeding ${f(r.drainP99)}, stored ${r.stored})`);
  }
  lines.push(`  worker/main: p50 ×${(w.p50 / m.p50).toFixed(2)}, p99 ×${(w.p99 / m.p99).toFixed(2)}, rows/s ×${(w.rowsPerSec / m.rowsPerSec).toFixed(2)}`);
  lines.push(`  worker/none (floor: same feeding, inserts discarded): p99 ×${(w.p99 / none.p99).toFixed(2)}`);
  lines.push(...(await resultTransfer()));
  process.stdout.write(lines.join('\n') + '\n');
  if (runs.some((r) => r.stored !== rows)) process.exitCode = 1;
}

async function ingest(mode: Mode, n: number): Promise<Run> {
  const logger = pino({ level: 'warn' });
  const root = mkdtempSync(join(tmpdir(), `sb-chdb-${mode}-`));
  const ch = mode === 'none' ? discard() : await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_bench', logger, chdbThread: mode });
  if (mode !== 'none') await migrateClickHouse(ch.client, logger);
  const sink = createClickHouseSink({ client: ch.client, spoolDir: join(root, 'spool'), logger });
  const company = `bench-${mode}`;
  const t0 = Date.UTC(2026, 0, 1);
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const start = performance.now();
  // Slices with a turn of the loop between them, like traffic arriving at the server.
  for (let i = 0; i < n; ) {
    for (const end = Math.min(n, i + 2_000); i < end; i++) {
      sink.record({
        table: 'page_views', companyId: company,
        row: {
          visitor_id: `vis-${i % 20_000}`, visit_id: `v-${i % 50_000}`, ts: t0 + i * 137,
          url: `https://shop.example.cn/item/${i % 3000}?from=ad`, path: `/item/${i % 3000}`, title: '商品详情',
          referrer: 'https://www.baidu.com/s?wd=x', referrer_host: 'www.baidu.com', search_engine: 'baidu', keyword: '退货 运费',
          is_landing: i % 4 === 0 ? 1 : 0, visit_number: 1 + (i % 5), is_new: i % 5 === 0 ? 1 : 0, country: '中国',
          province: '四川', city: '成都', isp: '电信', ip: `110.185.${i % 256}.${(i >> 8) % 256}`, browser: 'Chrome',
          browser_version: '126', os: 'Windows', device: 'desktop', screen: '1920x1080', language: 'zh-CN',
        },
      });
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  // After feeding, only the sink's inserts run: delay here is chDB's doing (or the CPU it takes).
  const feedMs = performance.now() - start;
  const drain = monitorEventLoopDelay({ resolution: 5 });
  drain.enable();
  await sink.flush();
  const ms = performance.now() - start;
  h.disable();
  drain.disable();
  const stored = mode === 'none' ? sink.counters().insertedRows : await count(ch.client, company);
  await sink.close();
  await ch.close();
  rmSync(root, { recursive: true, force: true });
  const q = (p: number) => h.percentile(p) / 1e6;
  const drainP99 = drain.count > 0 ? drain.percentile(99) / 1e6 : 0;
  return { mode, rows: n, ms, rowsPerSec: n / (ms / 1000), p50: q(50), p99: q(99), max: h.max / 1e6, stored, feedMs, drainP99 };
}

async function count(client: ClickHouseClient, company: string): Promise<number> {
  const rs = await client.query({ query: 'SELECT count() AS n FROM page_views WHERE company_id = {c:String}', query_params: { c: company }, format: 'JSONEachRow' });
  return Number((await rs.json<{ n: string }>())[0]!.n);
}

/** A client whose inserts read the body and succeed at once: what feeding the sink costs by itself. */
function discard(): { client: ClickHouseClient; close(): Promise<void> } {
  const client = {
    async exec(p: { values?: AsyncIterable<unknown> }) {
      for await (const _ of p.values ?? []) { /* read, as a connection would */ }
      return { stream: Readable.from([]), query_id: '', response_headers: {}, http_status_code: 200 };
    },
  } as unknown as ClickHouseClient;
  return { client, close: async () => {} };
}

/**
 * Main-thread cost of receiving a 50k-row JSONEachRow result: as bytes (transferred)
 * then decoded and parsed here, vs as an array the worker parsed (structured clone).
 * receiveMessageOnPort deserialises synchronously, so the time is all on this thread.
 */
type Kind = 'bytes' | 'doc' | 'rows';

async function resultTransfer(): Promise<string[]> {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(
    `const { workerData: { port } } = require('node:worker_threads');
     const rows = Array.from({ length: 50000 }, (_, i) => ({ visitor_id: 'vis-' + i, url: 'https://shop.example.cn/item/' + (i % 3000), views: i % 17, city: '成都' }));
     const text = rows.map((r) => JSON.stringify(r)).join('\\n') + '\\n';
     const doc = JSON.stringify({ data: rows });
     port.on('message', (kind) => {
       if (kind !== 'rows') { const b = Buffer.from(kind === 'doc' ? doc : text); const u = new Uint8Array(b.length); u.set(b); port.postMessage(u, [u.buffer]); }
       else port.postMessage(text.trim().split('\\n').map((l) => JSON.parse(l)));
       port.postMessage('sent');
     });`,
    { eval: true, workerData: { port: port2 }, transferList: [port2] },
  );
  const take = async (kind: Kind): Promise<number> => {
    port1.postMessage(kind);
    // Wait without consuming: poll for the 'sent' marker, which queues after the payload.
    let payload: unknown;
    for (;;) {
      await new Promise((r) => setTimeout(r, 5));
      const t = performance.now();
      const m = receiveMessageOnPort(port1);
      if (!m) continue;
      payload = m.message;
      if (payload instanceof Uint8Array) {
        const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
        const parsed = kind === 'doc'
          ? (JSON.parse(text) as { data: unknown[] }).data
          : text.trim().split('\n').map((l) => JSON.parse(l) as unknown);
        if (parsed.length !== 50_000) throw new Error('short');
      }
      const ms = performance.now() - t;
      while (!receiveMessageOnPort(port1)) await new Promise((r) => setTimeout(r, 5)); // the marker
      return ms;
    }
  };
  const best = async (kind: Kind) => {
    let b = Infinity;
    for (let i = 0; i < 5; i++) b = Math.min(b, await take(kind));
    return b;
  };
  const bytes = await best('bytes');
  const rowsMs = await best('rows');
  const docMs = await best('doc');
  await w.terminate();
  port1.close();
  return [
    'result hand-over, 50k JSONEachRow rows, main-thread ms (best of 5):',
    `  bytes transferred + JSON.parse per line here ${bytes.toFixed(1)}; as one JSON document ${docMs.toFixed(1)}`,
    `  parsed in worker + structured clone ${rowsMs.toFixed(1)}  (clone/lines ×${(rowsMs / bytes).toFixed(2)}, clone/document ×${(rowsMs / docMs).toFixed(2)})`,
  ];
}
