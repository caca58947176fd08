// I2–I10 report figures on real chDB, each checked against the plain-TS Oracle
// over the same generated rows (two companies; visits and chats clustered
// around Shanghai midnights and the January/February month end).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import ExcelJS from 'exceljs';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../../server/src/adapters/clickhouse/migrate.js';
import { reportRoutes } from '../../server/src/http/report-routes.js';
import type { HttpRequest, HttpResponse, Route } from '../../server/src/http/types.js';
import { generateDataset, insertDataset, type Dataset } from '../../load-tests/analytics-generator.js';
import { Oracle, avgOf, close, dayIn, groupBy, hourIn, ms } from './reports-oracle.js';

const logger = pino({ level: 'silent' });
const TZ = 'Asia/Shanghai';
// Shanghai midnights (16:00 UTC the day before) around the month end, and UTC midnight of 1 Feb.
const EDGES = [Date.UTC(2025, 0, 29, 16), Date.UTC(2025, 0, 30, 16), Date.UTC(2025, 0, 31, 16), Date.UTC(2025, 1, 1, 0), Date.UTC(2025, 1, 1, 16)];
// The custom range 2025-01-30 .. 2025-02-01 in Shanghai: [Jan 29 16:00Z, Feb 1 16:00Z).
const WIN = { from: Date.UTC(2025, 0, 29, 16), to: Date.UTC(2025, 1, 1, 16), tz: TZ };
const RANGE = { from: '2025-01-30', to: '2025-02-01' };

let root: string;
let ch: ClickHouseHandle;
let routes: Route[];
let A: Dataset;
let B: Dataset;
let oa: Oracle;
const failures: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-reports-'));
  ch = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_reports', logger });
  await migrateClickHouse(ch.client, logger);
  const base = { start: Date.UTC(2025, 0, 27), end: Date.UTC(2025, 1, 4), edges: EDGES };
  A = generateDataset({ companyId: 'coA', seed: 7, visitors: 450, ...base });
  B = generateDataset({ companyId: 'coB', seed: 8, visitors: 300, ...base });
  await insertDataset(ch.client, A);
  await insertDataset(ch.client, B);
  oa = new Oracle(A, WIN);
  routes = reportRoutes({
    clickhouse: ch.client, logger: { error: (o: unknown) => { failures.push(String((o as { err?: Error }).err?.message ?? o)); } },
    accounts: { companyById: async (id) => ({ id, name: id, publicKey: 'k', timeZone: id === 'coC' ? 'UTC' : TZ, createdAt: 0 }) },
    now: () => Date.UTC(2025, 1, 1, 4),
  });
});
afterAll(async () => {
  await ch?.close();
  rmSync(root, { recursive: true, force: true });
});

async function call(company: string, method: string, path: string, query: Record<string, string | string[]> = {}, body?: unknown): Promise<HttpResponse> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  for (const r of routes) {
    if (r.method !== method) continue;
    const names: string[] = [];
    const re = new RegExp(`^${r.path.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}$`);
    const m = re.exec(path);
    if (!m) continue;
    if (path === '/api/v1/reports/funnels' && r.path.includes(':report') && method === 'GET') continue;
    const req: HttpRequest = {
      method, path, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])), query: qs, headers: {}, cookies: {}, ip: '127.0.0.1', body,
      auth: { companyId: company, agentId: 'admin', name: 'Admin', sessionId: 's', csrfToken: 'c', role: 'admin', permissions: [] },
    };
    return r.handler(req);
  }
  throw new Error(`no route ${method} ${path}`);
}

async function report(view: string, report: string, extra: Record<string, string | string[]> = {}, company = 'coA') {
  const res = await call(company, 'GET', `/api/v1/reports/${report}`, { ...RANGE, view, ...extra });
  expect(res.status, JSON.stringify(res.body) + failures.join('\n')).toBe(200);
  return res.body as { rows: Array<Record<string, any>>; totals: Record<string, any>; range: { from: number; to: number } };
}

/** The I3 metric set (no visitors / page views columns). */
const traffic = ({ visitors: _v, page_views: _p, ...rest }: ReturnType<Oracle['visitMetrics']>) => rest;

function expectRows(actual: Array<Record<string, any>>, expected: Map<string, Record<string, unknown>>) {
  expect(actual.map((r) => r.key).sort()).toEqual([...expected.keys()].sort());
  const errors = actual.flatMap((r) => close(r, expected.get(r.key)!).map((e) => `${r.key} ${e}`));
  expect(errors).toEqual([]);
}

describe('I10 range in the company time zone', () => {
  it('custom dates are Shanghai calendar days: [Jan 29 16:00Z, Feb 1 16:00Z)', async () => {
    const r = await report('summary', 'overview');
    expect(r.range).toMatchObject({ from: WIN.from, to: WIN.to });
  });
});

describe('I2 overview', () => {
  it('visits, unique visitors, page views and chats per Shanghai day, with totals', async () => {
    const r = await report('summary', 'overview');
    const vs = oa.visitsIn();
    const expected = new Map(['2025-01-30', '2025-01-31', '2025-02-01'].map((day) => {
      const dv = vs.filter((v) => dayIn(TZ, ms(v.started_at)) === day);
      return [day, {
        visits: dv.length, visitors: new Set(dv.map((v) => v.visitor_id)).size,
        page_views: oa.pageViewsIn((p) => dayIn(TZ, ms(p.ts)) === day).length,
        chats: oa.factsIn((f) => dayIn(TZ, ms(f.created_at)) === day).length,
      }];
    }));
    expectRows(r.rows, expected);
    expect(close(r.totals, {
      visits: vs.length, visitors: new Set(vs.map((v) => v.visitor_id)).size, page_views: oa.pageViewsIn().length, chats: oa.factsIn().length,
    })).toEqual([]);
    expect(vs.length).toBeGreaterThan(50);
  });

  it('top keywords', async () => {
    const r = await report('keywords', 'overview');
    const all = oa.visitsIn((v) => v.keyword !== '');
    const g = groupBy(all, (v) => v.keyword);
    expectRows(r.rows, new Map([...g].map(([k, vs]) => [k, (({ visits, visit_share, chats }) => ({ visits, visit_share, chats }))(oa.visitMetrics(vs, all))])));
  });
});

describe('I3 traffic sources', () => {
  it('search engines with every metric, shares against the view total', async () => {
    const r = await report('engine', 'sources');
    const all = oa.visitsIn((v) => v.search_engine !== '');
    const g = groupBy(all, (v) => v.search_engine);
    expectRows(r.rows, new Map([...g].map(([k, vs]) => [k, traffic(oa.visitMetrics(vs, all))])));
    const { visitors: _v, page_views: _p, ...tot } = oa.visitMetrics(all, all);
    expect(close(r.totals, tot)).toEqual([]);
  });

  it('second dimension region, and engine = baidu AND region = 北京 as filters', async () => {
    const r = await report('type', 'sources', { dim2: 'region' });
    const all = oa.visitsIn();
    const src = (v: { search_engine: string; referrer_host: string; utm_source: string }) =>
      v.search_engine ? 'search' : v.referrer_host ? 'site' : v.utm_source ? 'campaign' : 'direct';
    const pairs = groupBy(all, (v) => `${src(v)}|${v.province}`);
    expect(r.rows.length).toBe(pairs.size);
    for (const row of r.rows) expect(close(row, traffic(oa.visitMetrics(pairs.get(`${row.key}|${row.key2}`)!, all)))).toEqual([]);

    const f = await report('type', 'sources', { filter: ['search_engine:baidu', 'province:北京'] });
    const sel = oa.visitsIn((v) => v.search_engine === 'baidu' && v.province === '北京');
    expect(sel.length).toBeGreaterThan(0);
    expectRows(f.rows, new Map([['search', traffic(oa.visitMetrics(sel, sel))]]));
  });
});

describe('I4 loyalty', () => {
  it('visit depth and repeat frequency', async () => {
    const all = oa.visitsIn();
    const depth = (p: number) => (p <= 1 ? '1 page' : p === 2 ? '2 pages' : p === 3 ? '3 pages' : p <= 5 ? '4-5 pages' : p <= 10 ? '6-10 pages' : p <= 20 ? '11-20 pages' : '21+ pages');
    const r = await report('depth', 'loyalty');
    expectRows(r.rows, new Map([...groupBy(all, (v) => depth(v.pages))].map(([k, vs]) => [k, { visits: vs.length, visit_share: vs.length / all.length }])));
    const perVisitor = groupBy(all, (v) => v.visitor_id);
    const fb = (n: number) => (n === 1 ? '1 visit' : n === 2 ? '2 visits' : n === 3 ? '3 visits' : n <= 5 ? '4-5 visits' : n <= 10 ? '6-10 visits' : '11+ visits');
    const fr = await report('frequency', 'loyalty');
    const g = groupBy([...perVisitor.values()], (vs) => fb(vs.length));
    expectRows(fr.rows, new Map([...g].map(([k, list]) => [k, { visitors: list.length, visits: list.reduce((a, l) => a + l.length, 0) }])));
  });

  it('recency looks at the previous visit even before the range', async () => {
    const r = await report('recency', 'loyalty');
    const all = oa.visitsIn();
    const bucket = (v: (typeof all)[number]) => {
      const t = ms(v.started_at);
      const prev = oa.visits.filter((o) => o.visitor_id === v.visitor_id && ms(o.started_at) < t && ms(o.started_at) >= WIN.from - 365 * 86_400_000)
        .map((o) => ms(o.started_at)).sort((a, b) => b - a)[0];
      if (prev === undefined) return v.visit_number <= 1 ? 'first visit' : '91+ days';
      const d = Math.floor((t - prev) / 86_400_000);
      return d === 0 ? 'same day' : d === 1 ? '1 day' : d <= 7 ? '2-7 days' : d <= 30 ? '8-30 days' : d <= 90 ? '31-90 days' : '91+ days';
    };
    const g = groupBy(all, bucket);
    expect(g.size).toBeGreaterThan(1);
    expectRows(r.rows, new Map([...g].map(([k, vs]) => [k, { visits: vs.length }])));
  });
});

describe('I5 content and I7 visitor info', () => {
  it('top, entry and exit pages', async () => {
    const pv = oa.pageViewsIn();
    const top = await report('pages', 'content');
    expectRows(top.rows, new Map([...groupBy(pv, (p) => p.path)].map(([k, ps]) => [k, {
      page_views: ps.length, pv_share: ps.length / pv.length, visitors: new Set(ps.map((p) => p.visitor_id)).size, entries: ps.filter((p) => p.is_landing).length,
    }])));
    const all = oa.visitsIn();
    const entry = await report('entry', 'content');
    expectRows(entry.rows, new Map([...groupBy(all, (v) => v.landing_path)].map(([k, vs]) => [k, (({ visits, bounce_rate, avg_pages }) => ({ visits, bounce_rate, avg_pages }))(oa.visitMetrics(vs, all))])));
    const exit = await report('exit', 'content');
    expectRows(exit.rows, new Map([...groupBy(all, (v) => v.exit_path)].map(([k, vs]) => [k, { visits: vs.length }])));
  });

  it('browsers', async () => {
    const all = oa.visitsIn();
    const r = await report('browser', 'visitors');
    expectRows(r.rows, new Map([...groupBy(all, (v) => v.browser)].map(([k, vs]) => [k, (({ visits, visitors, page_views, chats }) => ({ visits, visitors, page_views, chats }))(oa.visitMetrics(vs, all))])));
  });
});

describe('I6 goal conversion', () => {
  it('a stored funnel counts visits passing its steps in order', async () => {
    const created = await call('coA', 'POST', '/api/v1/reports/funnels', {}, { name: 'Sign-up', steps: ['/features', '/signup*'] });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const list = await call('coA', 'GET', '/api/v1/reports/funnels');
    expect((list.body as { items: unknown[] }).items).toEqual([{ id, name: 'Sign-up', steps: ['/features', '/signup*'] }]);
    expect(((await call('coB', 'GET', '/api/v1/reports/funnels')).body as { items: unknown[] }).items).toEqual([]);

    const r = await report('funnel', 'goals', { funnel: id });
    const steps = [(p: string) => p === '/features', (p: string) => p.startsWith('/signup')];
    const levels = [...groupBy(oa.pageViewsIn(), (p) => p.visit_id).values()].map((ps) => {
      let l = 0;
      for (const p of ps.sort((a, b) => ms(a.ts) - ms(b.ts))) if (l < steps.length && steps[l]!(p.path)) l++;
      return l;
    });
    const reach = (k: number) => levels.filter((l) => l >= k).length;
    expect(reach(2)).toBeGreaterThan(0);
    expect(r.rows.map((x) => x.visits)).toEqual([reach(1), reach(2)]);
    expect(close(r.totals, { visits: levels.length, of_first: reach(2) / reach(1) })).toEqual([]);
    expect((await call('coB', 'GET', '/api/v1/reports/goals', { ...RANGE, funnel: id })).status).toBe(400);
  });
});

describe('I8 chats and offline messages', () => {
  it('by Shanghai day and hour, by topic', async () => {
    const day = await report('day', 'chats');
    const offline = A.offline_messages.filter((o) => oa.inRange(ms(o.ts)));
    expectRows(day.rows, new Map(['2025-01-30', '2025-01-31', '2025-02-01'].map((d) => {
      const fs = oa.factsIn((f) => dayIn(TZ, ms(f.created_at)) === d);
      return [d, {
        chats: fs.length, offline: offline.filter((o) => dayIn(TZ, ms(o.ts)) === d).length, avg_wait_ms: avgOf(fs.map((f) => f.wait_ms)),
        avg_first_response_ms: avgOf(fs.map((f) => f.first_response_ms)), avg_duration_ms: avgOf(fs.map((f) => f.duration_ms)),
      }];
    })));
    const hour = await report('hour', 'chats');
    expectRows(hour.rows, new Map(Array.from({ length: 24 }, (_, h) => [String(h), {
      chats: oa.factsIn((f) => hourIn(TZ, ms(f.created_at)) === h).length, offline: offline.filter((o) => hourIn(TZ, ms(o.ts)) === h).length,
    }])));
    const topic = await report('topic', 'chats');
    const fs = oa.factsIn();
    expectRows(topic.rows, new Map([...groupBy(fs, (f) => f.topic)].map(([k, list]) => [k, {
      chats: list.length, share: list.length / fs.length, avg_rating: avgOf(list.map((f) => f.rating)), rated: list.filter((f) => f.rating !== null).length,
    }])));
    // A topic filter cannot apply to offline messages: their column is left empty, not wrong.
    const filtered = await report('day', 'chats', { filter: 'topic:pricing' });
    expect(filtered.totals.offline).toBeNull();
    expect(filtered.totals.chats).toBe(fs.filter((f) => f.topic === 'pricing').length);
  });
});

describe('I9 agents', () => {
  it('chats handled, first response, duration, peak concurrency, online time, satisfaction', async () => {
    const r = await report('agents', 'agents');
    const fs = oa.factsIn((f) => f.agent_id !== '');
    const expected = new Map<string, Record<string, unknown>>();
    const statusFrom = WIN.from - 30 * 86_400_000;
    for (const agent of new Set([...fs.map((f) => f.agent_id), ...A.agent_status_events.map((e) => e.agent_id)])) {
      const mine = fs.filter((f) => f.agent_id === agent);
      const events = mine.flatMap((f) => [[ms(f.assigned_at ?? f.created_at), 1], [ms(f.ended_at), -1]] as Array<[number, number]>)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let run = 0; let peak = 0;
      for (const [, d] of events) { run += d; peak = Math.max(peak, run); }
      const st = A.agent_status_events.filter((e) => e.agent_id === agent && ms(e.ts) >= statusFrom && ms(e.ts) < WIN.to).sort((a, b) => ms(a.ts) - ms(b.ts));
      let online = 0;
      st.forEach((e, i) => {
        if (e.status === 'offline') return;
        const next = i + 1 < st.length ? ms(st[i + 1]!.ts) : WIN.to;
        online += Math.max(0, Math.min(next, WIN.to) - Math.max(ms(e.ts), WIN.from));
      });
      if (!mine.length && !st.some((e) => e.status !== 'offline')) continue;
      expected.set(agent, {
        chats: mine.length, avg_first_response_ms: avgOf(mine.map((f) => f.first_response_ms)), avg_duration_ms: avgOf(mine.map((f) => f.duration_ms)),
        peak_concurrency: peak, online_ms: online, avg_rating: avgOf(mine.map((f) => f.rating)), rated: mine.filter((f) => f.rating !== null).length,
      });
    }
    expectRows(r.rows, expected);
    expect(r.totals.chats).toBe(fs.length);
  });
});

describe('tenancy', () => {
  it('company A never sees company B rows, and a company without data sees zeros', async () => {
    const a = await report('summary', 'overview');
    const b = await report('summary', 'overview', {}, 'coB');
    const ob = new Oracle(B, WIN);
    expect(a.totals.visits).toBe(oa.visitsIn().length);
    expect(b.totals.visits).toBe(ob.visitsIn().length);
    expect(b.totals.chats).toBe(ob.factsIn().length);
    const c = await report('summary', 'overview', {}, 'coC');
    expect(c.totals).toEqual({ visits: 0, visitors: 0, page_views: 0, chats: 0 });
  });
});

describe('I10 bad requests', () => {
  const bad = async (query: Record<string, string | string[]>, report = 'sources') => {
    const res = await call('coA', 'GET', `/api/v1/reports/${report}`, query);
    expect(res.status).toBe(400);
    const body = res.body as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    return body.error.message;
  };
  it('unknown dimension, inverted or absurd ranges, wrong dim2 or view answer 400 with a message', async () => {
    expect(await bad({ ...RANGE, filter: 'bogus:1' })).toMatch(/unknown filter dimension "bogus"/);
    expect(await bad({ ...RANGE, filter: "search_engine'--" })).toMatch(/dimension:value/);
    expect(await bad({ from: '2025-02-01', to: '2025-01-01' })).toMatch(/after/);
    expect(await bad({ from: '2020-01-01', to: '2025-01-01' })).toMatch(/longer than/);
    expect(await bad({ from: '2025-02-30', to: '2025-03-01' })).toMatch(/YYYY-MM-DD/);
    expect(await bad({ preset: 'forever' })).toMatch(/preset/);
    expect(await bad({ ...RANGE, dim2: 'browser' })).toMatch(/dim2/);
    expect(await bad({ ...RANGE, view: 'nope' })).toMatch(/unknown view/);
    expect(await bad({ ...RANGE, filter: 'topic:x' })).toMatch(/does not apply/);
    expect(await bad(RANGE, 'nope')).toMatch(/unknown report/);
  });
});

describe('export', () => {
  it('CSV and XLSX carry the detail rows and the totals row', async () => {
    const csv = await call('coA', 'GET', '/api/v1/reports/sources/export', { ...RANGE, view: 'engine', format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers?.['content-disposition']).toContain('sources-engine-2025-01-30_2025-02-01.csv');
    const lines = String(csv.raw!.data).replace(/^\uFEFF/, '').trim().split('\r\n');
    const json = await report('engine', 'sources');
    expect(lines[0]).toBe('Search engine,Visits,Visit share,Chats,Chat share,Avg chat duration,Avg pages,Avg time on site,New visitors %,Bounce rate');
    expect(lines.length).toBe(json.rows.length + 2);
    expect(lines.at(-1)!.startsWith(`Total,${json.totals.visits},`)).toBe(true);

    const x = await call('coA', 'GET', '/api/v1/reports/sources/export', { ...RANGE, view: 'engine', format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.raw!.data as Uint8Array) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('Total');
    expect(last.getCell(2).value).toBe(json.totals.visits);
  });
});
