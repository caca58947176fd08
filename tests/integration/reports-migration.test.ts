// ClickHouse migration 0005 (report speed) on data that was there before it:
// half of every table (including early versions of visits and chats) is
// written under migrations 0001–0004, the rest after 0005; reports over the
// mix match the plain-TS oracle, before and after the MATERIALIZE mutations
// have rewritten the old parts. Page views per day come from the pv_buckets
// projection in the bucket form, checked in Asia/Kathmandu (UTC+5:45) too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../../server/src/adapters/clickhouse/migrate.js';
import { MIGRATIONS } from '../../server/src/adapters/clickhouse/migrations/index.js';
import { runReport } from '../../server/src/domain/reports/catalog.js';
import { saveFunnel } from '../../server/src/domain/reports/goals.js';
import { parseReportQuery } from '../../server/src/domain/reports/query.js';
import { generateDataset, insertDataset, type Dataset } from '../../load-tests/analytics-generator.js';
import { Oracle, close, dayIn, groupBy, ms } from './reports-oracle.js';

const logger = pino({ level: 'silent' });
const SH = 'Asia/Shanghai';
const KTM = 'Asia/Kathmandu';
let root: string;
let ch: ClickHouseHandle;
let A: Dataset;
let funnelId: string;

const half = (d: Dataset, first: boolean): Dataset => Object.fromEntries(Object.entries(d).map(([k, rows]: [string, unknown[]]) => {
  const cut = Math.ceil(rows.length / 2);
  return [k, first ? rows.slice(0, cut) : rows.slice(cut)];
})) as unknown as Dataset;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-reports-migr-'));
  ch = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_reports_migr', logger });
  A = generateDataset({
    companyId: 'coA', seed: 11, visitors: 400, start: Date.UTC(2025, 0, 27), end: Date.UTC(2025, 1, 4),
    edges: [Date.UTC(2025, 0, 30, 16), Date.UTC(2025, 0, 31, 18, 15), Date.UTC(2025, 1, 1, 18, 15)],
  });
  await migrateClickHouse(ch.client, logger, MIGRATIONS.slice(0, 4));
  await insertDataset(ch.client, half(A, true));
  expect((await migrateClickHouse(ch.client, logger)).applied).toEqual([5]);
  await insertDataset(ch.client, half(A, false));
  funnelId = (await saveFunnel(ch.client, 'coA', { name: 'f', steps: ['/features', '/signup*'] })).id;
});
afterAll(async () => {
  await ch?.close();
  rmSync(root, { recursive: true, force: true });
});

async function view(report: string, v: string, tz = SH, extra: Record<string, string> = {}) {
  const q = parseReportQuery(new URLSearchParams({ from: '2025-01-30', to: '2025-02-02', view: v, ...extra }), tz, Date.UTC(2025, 1, 3));
  return { out: await runReport(ch.client, 'coA', report, q), oracle: new Oracle(A, { from: q.range.from, to: q.range.to, tz }) };
}

async function checkAll(): Promise<void> {
  for (const tz of [SH, KTM]) {
    const { out, oracle } = await view('overview', 'summary', tz);
    const vs = oracle.visitsIn();
    for (const row of out.rows) {
      const dv = vs.filter((v) => dayIn(tz, ms(v.started_at)) === row.key);
      expect(close(row, {
        visits: dv.length, visitors: new Set(dv.map((v) => v.visitor_id)).size,
        page_views: oracle.pageViewsIn((p) => dayIn(tz, ms(p.ts)) === row.key).length,
        chats: oracle.factsIn((f) => dayIn(tz, ms(f.created_at)) === row.key).length,
      }), `${tz} ${String(row.key)}`).toEqual([]);
    }
    expect(out.totals?.page_views).toBe(oracle.pageViewsIn().length);
    expect(vs.length).toBeGreaterThan(50);
  }

  // Page views per day under a filter the projection lacks: the raw ts form.
  const { out: bySafari, oracle: o2 } = await view('overview', 'summary', KTM, { filter: 'browser:Safari' });
  for (const row of bySafari.rows) {
    expect(row.page_views, String(row.key)).toBe(o2.pageViewsIn((p) => p.browser === 'Safari' && dayIn(KTM, ms(p.ts)) === row.key).length);
  }
  expect(Number(bySafari.totals?.page_views)).toBeGreaterThan(0);

  const { out: browsers, oracle } = await view('visitors', 'browser');
  const all = oracle.visitsIn();
  for (const [k, group] of groupBy(all, (v) => v.browser)) {
    const row = browsers.rows.find((r) => r.key === k)!;
    const m = oracle.visitMetrics(group, all);
    expect(close(row, { visits: m.visits, visitors: m.visitors, page_views: m.page_views, chats: m.chats }), k).toEqual([]);
  }

  const { out: pages } = await view('content', 'pages');
  const pv = oracle.pageViewsIn();
  for (const [k, ps] of groupBy(pv, (p) => p.path)) {
    expect(close(pages.rows.find((r) => r.key === k)!, { page_views: ps.length, visitors: new Set(ps.map((p) => p.visitor_id)).size }), k).toEqual([]);
  }

  // The totals row (GROUPING SETS) survives a limit on the detail rows.
  const { out: top2 } = await view('content', 'pages', SH, { limit: '2' });
  expect(top2.rows).toHaveLength(2);
  expect(top2.totals).toMatchObject({ page_views: pv.length, visitors: new Set(pv.map((p) => p.visitor_id)).size });
  const { out: city1 } = await view('visitors', 'city', SH, { limit: '1' });
  expect(city1.rows).toHaveLength(1);
  expect(city1.totals).toMatchObject({ visits: all.length, visitors: new Set(all.map((v) => v.visitor_id)).size });

  const { out: freq } = await view('loyalty', 'frequency');
  expect(freq.totals).toMatchObject({ visitors: new Set(all.map((v) => v.visitor_id)).size, visits: all.length });

  const { out: goals } = await view('goals', 'funnel', SH, { funnel: funnelId });
  expect(goals.totals?.visits).toBe(new Set(pv.map((p) => p.visit_id)).size);

  // Recency under a filter: the previous visit is any visit of the visitor, filtered or not.
  // (source type varies between a visitor's visits; browser does not in this data)
  const { out: rec } = await view('loyalty', 'recency', SH, { filter: 'source_type:direct' });
  const gap = (v: (typeof all)[number]) => {
    const t = ms(v.started_at);
    const prev = Math.max(...oracle.visits.filter((o) => o.visitor_id === v.visitor_id && ms(o.started_at) < t).map((o) => ms(o.started_at)));
    if (prev === -Infinity) return v.visit_number <= 1 ? 'first visit' : '91+ days';
    const d = Math.floor((t - prev) / 86_400_000);
    return d === 0 ? 'same day' : d === 1 ? '1 day' : d <= 7 ? '2-7 days' : d <= 30 ? '8-30 days' : d <= 90 ? '31-90 days' : '91+ days';
  };
  const direct = groupBy(all.filter((v) => !v.search_engine && !v.referrer_host && !v.utm_source), gap);
  expect(direct.size).toBeGreaterThan(1);
  expect(Object.fromEntries(rec.rows.map((r) => [r.key, r.visits]))).toEqual(Object.fromEntries([...direct].map(([k, vs]) => [k, vs.length])));

  // A filter on a visit dimension reaches chats through visit_hash.
  const { out: chats } = await view('chats', 'day', SH, { filter: 'browser:Safari' });
  const safari = new Set(oracle.visits.filter((v) => v.browser === 'Safari').map((v) => v.visit_id));
  expect(chats.totals?.chats).toBe(oracle.factsIn((f) => safari.has(f.visit_id)).length);
}

async function rows<T>(query: string): Promise<T[]> {
  return (await ch.client.query({ query, format: 'JSONEachRow' })).json<T>();
}

describe('ClickHouse migration 0005 over existing rows', () => {
  it('reports match the oracle while old parts compute the hash columns on read', async () => {
    await checkAll();
  });

  it('after the MATERIALIZE mutations: hashes stored, projection built and used, same figures', async () => {
    const until = Date.now() + 60_000;
    while (Number((await rows<{ n: string }>(
      'SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND NOT is_done',
    ))[0]!.n) !== 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const bad = await rows<{ n: string }>(`SELECT
      (SELECT countIf(visitor_hash != cityHash64(visitor_id) OR visit_hash != cityHash64(visit_id)) FROM page_views)
      + (SELECT countIf(visitor_hash != cityHash64(visitor_id) OR visit_hash != cityHash64(visit_id)) FROM visits)
      + (SELECT countIf(visit_hash != cityHash64(visit_id)) FROM conversation_facts) AS n`);
    expect(Number(bad[0]!.n)).toBe(0);
    const parts = await rows<{ parts: string; with_projection: string }>(`SELECT count() AS parts,
        countIf(has(projections, 'pv_buckets')) AS with_projection
      FROM system.parts WHERE database = currentDatabase() AND table = 'page_views' AND active`);
    expect(Number(parts[0]!.parts)).toBeGreaterThan(0);
    expect(Number(parts[0]!.with_projection)).toBe(Number(parts[0]!.parts));
    const plan = await rows<{ explain: string }>(`EXPLAIN SELECT toDate(toStartOfFifteenMinutes(ts), 'Asia/Kathmandu') AS d, count()
      FROM page_views WHERE company_id = 'coA' AND toStartOfFifteenMinutes(ts) >= '2025-01-29 18:15:00' GROUP BY d`);
    expect(plan.map((p) => p.explain).join('\n')).toContain('pv_buckets');
    await checkAll();
  });
});
