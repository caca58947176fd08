// Reports benchmark (I2–I9): generates N page views (default 10M) for one
// company in a fresh chDB directory, then times every report view hot (after
// one warm-up run) over the last 3 months. Prints ingest rate and p50/p95.
// Targets (not asserted): <= 300 ms per report, >= 200,000 rows/s ingest.
//   tsx load-tests/reports-bench.ts [pageViews=10000000] [runs=15] [only=substring of report/view]
// REPORTS_BENCH_DIR=<dir> keeps the data there and reuses it on the next run
// (timing query changes without generating again). REPORTS_BASELINE=<dir of an
// older checkout> times that checkout's report code too, interleaved on the
// same data, and prints the p50 ratio (baseline / this).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';
import pino from 'pino';
import { openClickHouse } from '../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../server/src/adapters/clickhouse/migrate.js';
import { REPORTS, runReport } from '../server/src/domain/reports/catalog.js';
import { listFunnels, saveFunnel } from '../server/src/domain/reports/goals.js';
import { parseReportQuery } from '../server/src/domain/reports/query.js';
import { generateInClickHouse } from './analytics-generator.js';

/**
 * Hot figures are for a settled table: waits (at most 5 min) until no mutation
 * (migration 0005's MATERIALIZE on reused data) or background merge is running.
 */
async function settle(client: ClickHouseClient): Promise<number> {
  const t = performance.now();
  while (performance.now() - t < 300_000) {
    const rs = await client.query({
      query: `SELECT (SELECT count() FROM system.mutations WHERE database = currentDatabase() AND NOT is_done)
        + (SELECT count() FROM system.merges WHERE database = currentDatabase()) AS busy`,
      format: 'JSONEachRow',
    });
    if (Number(((await rs.json()) as Array<{ busy: string }>)[0]!.busy) === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return (performance.now() - t) / 1000;
}

async function partsSummary(client: ClickHouseClient): Promise<string> {
  const rs = await client.query({
    query: `SELECT table, count() AS parts, uniqExact(partition) AS partitions FROM system.parts
      WHERE database = currentDatabase() AND active AND table IN ('page_views', 'visits', 'conversation_facts') GROUP BY table ORDER BY table`,
    format: 'JSONEachRow',
  });
  const rows = (await rs.json()) as Array<{ table: string; parts: string; partitions: string }>;
  return `active parts: ${rows.map((r) => `${r.table} ${r.parts} in ${r.partitions} months`).join(', ')}`;
}

const pageViews = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 15);
const only = process.argv[4] ?? '';
const logger = pino({ level: 'warn' });
const keep = process.env.REPORTS_BENCH_DIR;
const reuse = keep !== undefined && existsSync(join(keep, 'ch'));
const dir = keep ?? mkdtempSync(join(tmpdir(), 'sb-reports-bench-'));
const ch = await openClickHouse({ dataDir: join(dir, 'ch'), logger });
try {
  await migrateClickHouse(ch.client, logger);
  const company = 'bench';
  const end = Date.UTC(2025, 5, 30, 16); // 2025-07-01 00:00 Asia/Shanghai
  if (!reuse) {
    const gen = await generateInClickHouse(ch.client, { companyId: company, pageViews, days: 90, end });
    console.log(`generated ${gen.pageViews.toLocaleString()} page views, ${gen.visits.toLocaleString()} visits, ${gen.chats.toLocaleString()} chats`);
    console.log(`ingest: ${gen.rows.toLocaleString()} rows in ${gen.seconds.toFixed(1)} s = ${Math.round(gen.rowsPerSecond).toLocaleString()} rows/s`);
    console.log(`  by table (s): ${Object.entries(gen.steps).map(([t, sec]) => `${t} ${sec.toFixed(1)}`).join(', ')}`);
    await saveFunnel(ch.client, company, { name: 'signup', steps: ['/', '/features', '/signup*'] });
  }
  console.log(`settled in ${(await settle(ch.client)).toFixed(1)} s; ${await partsSummary(ch.client)}`);
  const funnel = (await listFunnels(ch.client, company))[0]!;

  const q = (view: string, extra: Record<string, string> = {}) =>
    parseReportQuery(new URLSearchParams({ preset: 'last3months', view, funnel: funnel.id, ...extra }), 'Asia/Shanghai', end - 1);
  const cases: Array<{ name: string; report: string; query: ReturnType<typeof q> }> = [];
  for (const [report, def] of Object.entries(REPORTS)) {
    for (const view of Object.keys(def.views)) cases.push({ name: `${report}/${view}`, report, query: q(view) });
  }
  cases.push({ name: 'sources/engine +dim2=region', report: 'sources', query: q('engine', { dim2: 'region' }) });
  const filtered = new URLSearchParams({ preset: 'last3months', view: 'summary' });
  filtered.append('filter', 'search_engine:baidu');
  filtered.append('filter', 'province:北京');
  cases.push({ name: 'overview/summary engine=baidu AND region=北京', report: 'overview', query: parseReportQuery(filtered, 'Asia/Shanghai', end - 1) });

  // REPORTS_BASELINE=<another checkout>: its report code runs on the same data,
  // interleaved run by run with this one, so both see the same machine load.
  type RunReport = typeof runReport;
  const baseDir = process.env.REPORTS_BASELINE;
  const baseline: RunReport | null = baseDir
    ? ((await import(pathToFileURL(join(baseDir, 'server/src/domain/reports/catalog.ts')).href)) as { runReport: RunReport }).runReport
    : null;
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
  console.log(baseline
    ? `\n| report / view | p50 ms | p95 ms | baseline p50 | baseline p95 | p50 ratio |\n|---|---:|---:|---:|---:|---:|`
    : `\n| report / view | p50 ms | p95 ms |\n|---|---:|---:|`);
  for (const c of cases.filter((x) => x.name.includes(only))) {
    const variants: RunReport[] = baseline ? [runReport, baseline] : [runReport];
    for (const fn of variants) await fn(ch.client, company, c.report, c.query);
    const times = variants.map(() => [] as number[]);
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always runs right after the other's cache warm-up.
      const order = i % 2 === 0 ? variants.map((_, k) => k) : variants.map((_, k) => k).reverse();
      for (const k of order) {
        const t = performance.now();
        await variants[k]!(ch.client, company, c.report, c.query);
        times[k]!.push(performance.now() - t);
      }
    }
    const cells = times.flatMap((ts) => [pct(ts, 0.5).toFixed(0), pct(ts, 0.95).toFixed(0)]);
    if (baseline) cells.push(`${(pct(times[1]!, 0.5) / pct(times[0]!, 0.5)).toFixed(1)}x`);
    console.log(`| ${c.name} | ${cells.join(' | ')} |`);
  }
} finally {
  await ch.close();
  if (keep === undefined) rmSync(dir, { recursive: true, force: true });
}
