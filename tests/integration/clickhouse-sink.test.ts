// I1 analytics pipeline on real chDB: batching, order, outage spooling and replay,
// restart recovery, dedup of replays. One chDB data directory for this file
// (chDB binds one per process); every test uses its own company so counts are exact.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../../server/src/adapters/clickhouse/migrate.js';
import { createClickHouseSink, type ClickHouseSink } from '../../server/src/adapters/clickhouse/sink.js';

const logger = pino({ level: 'silent' });
let root: string;
let ch: ClickHouseHandle;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-ch-sink-'));
  ch = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_test', logger });
  await migrateClickHouse(ch.client, logger);
});
afterAll(async () => {
  await ch?.close();
  rmSync(root, { recursive: true, force: true });
});

type Mode = 'up' | 'down' | 'lose-reply';
interface Sent { table: string; lines: string[] }

/** Wraps the real client: can refuse inserts, or insert and then report failure. */
function flaky(real: ClickHouseClient) {
  const state = { mode: 'up' as Mode, sent: [] as Sent[], inFlight: new Map<string, number>(), maxInFlight: 0 };
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'exec') return Reflect.get(target, prop, receiver);
      return async (params: Parameters<ClickHouseClient['exec']>[0]) => {
        const table = /INSERT INTO (\w+)/.exec(params.query)?.[1] ?? '?';
        const n = (state.inFlight.get(table) ?? 0) + 1;
        state.inFlight.set(table, n);
        state.maxInFlight = Math.max(state.maxInFlight, n);
        try {
          if (state.mode === 'down') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
          let body = '';
          if ('values' in params && params.values) for await (const chunk of params.values) body += String(chunk);
          const { Readable } = await import('node:stream');
          const res = await target.exec({ ...params, values: Readable.from([Buffer.from(body)], { objectMode: false }) });
          state.sent.push({ table, lines: body.trim().split('\n') });
          if (state.mode === 'lose-reply') throw new Error('socket hang up');
          return res;
        } finally {
          state.inFlight.set(table, state.inFlight.get(table)! - 1);
        }
      };
    },
  });
  return { client, state };
}

async function count(table: string, company: string): Promise<number> {
  const rs = await ch.client.query({
    query: `SELECT count() AS n FROM ${table} WHERE company_id = {c:String}`,
    query_params: { c: company },
    format: 'JSONEachRow',
  });
  const [row] = await rs.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const view = (company: string, i: number) => ({
  table: 'page_views',
  companyId: company,
  row: { visitor_id: `vis-${i % 50}`, visit_id: `v-${i % 200}`, ts: Date.UTC(2026, 0, 1) + i * 1000, url: `https://a.example/p/${i}`, path: `/p/${i}`, search_engine: 'baidu', keyword: '退货' },
});

/** Marker numbers of page views in the order they reached ClickHouse. */
const sentOrder = (sent: Sent[], company: string) =>
  sent.filter((s) => s.table === 'page_views').flatMap((s) => s.lines.map((l) => JSON.parse(l) as { company_id: string; path: string }))
    .filter((r) => r.company_id === company).map((r) => Number(r.path.slice(3)));

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function sink(client: ClickHouseClient, spoolDir: string, over: Partial<Parameters<typeof createClickHouseSink>[0]> = {}): ClickHouseSink {
  return createClickHouseSink({ client, spoolDir, logger, maxBatch: 1000, flushMs: 50, retryMinMs: 20, retryMaxMs: 200, ...over });
}

describe('I1 analytics sink on chDB', () => {
  it('I1 10,000 events all land after flush, in record order, one insert in flight per table', async () => {
    const { client, state } = flaky(ch.client);
    const s = sink(client, join(root, 'spool-bulk'));
    for (let i = 0; i < 10_000; i++) s.record(view('c-bulk', i));
    s.record({ table: 'agent_status_events', companyId: 'c-bulk', row: { agent_id: 'a1', ts: new Date('2026-01-01T08:00:00Z'), status: 'online' } });
    await s.flush();
    expect(await count('page_views', 'c-bulk')).toBe(10_000);
    expect(await count('agent_status_events', 'c-bulk')).toBe(1);
    expect(sentOrder(state.sent, 'c-bulk')).toEqual(range(0, 10_000));
    expect(state.maxInFlight).toBe(1);
    expect(s.counters()).toMatchObject({ insertedRows: 10_001, spooledRows: 0, pendingRows: 0, droppedRows: 0 });
    expect(await s.healthy()).toBe(true);
    await s.close();
  });

  it('I1 outage mid-stream spools to disk, then replays in order exactly once', async () => {
    const { client, state } = flaky(ch.client);
    const spoolDir = join(root, 'spool-outage');
    const s = sink(client, spoolDir);
    for (let i = 0; i < 1000; i++) s.record(view('c-out', i));
    await s.flush();
    state.mode = 'down';
    for (let i = 1000; i < 3000; i++) s.record(view('c-out', i));
    await s.flush();
    expect(await count('page_views', 'c-out')).toBe(1000);
    expect(readdirSync(join(spoolDir, 'page_views')).length).toBeGreaterThanOrEqual(2);
    expect(s.counters()).toMatchObject({ insertedRows: 1000, spooledRows: 2000, pendingRows: 2000 });
    expect(await s.healthy()).toBe(false);

    state.mode = 'up';
    for (let i = 3000; i < 3500; i++) s.record(view('c-out', i));
    await s.flush();
    await waitFor(() => s.counters().pendingRows === 0);
    expect(await count('page_views', 'c-out')).toBe(3500);
    expect(sentOrder(state.sent, 'c-out')).toEqual(range(0, 3500));
    expect(readdirSync(join(spoolDir, 'page_views'))).toEqual([]);
    const k = s.counters();
    expect(k.replayedRows).toBe(k.spooledRows);
    expect(k.insertedRows + k.replayedRows).toBe(3500);
    expect(await s.healthy()).toBe(true);
    await s.close();
  });

  it('I1 a replay after a lost reply is deduplicated by its batch token', async () => {
    const { client, state } = flaky(ch.client);
    const s = sink(client, join(root, 'spool-lost'));
    state.mode = 'lose-reply';
    for (let i = 0; i < 300; i++) s.record(view('c-lost', i));
    await s.flush();
    expect(s.counters().spooledRows).toBe(300);
    state.mode = 'up';
    await waitFor(() => s.counters().pendingRows === 0);
    expect(state.sent.filter((x) => x.table === 'page_views').length).toBe(2); // sent twice
    expect(await count('page_views', 'c-lost')).toBe(300); // stored once
    await s.close();
  });

  it('I1 a new sink over the same spool directory replays what a previous process left', async () => {
    const spoolDir = join(root, 'spool-restart');
    const first = flaky(ch.client);
    first.state.mode = 'down';
    const a = sink(first.client, spoolDir);
    for (let i = 0; i < 700; i++) a.record(view('c-restart', i));
    a.record({ table: 'conversation_facts', companyId: 'c-restart', row: { conversation_id: 'cv1', agent_id: 'a1', created_at: '2026-01-01T09:00:00Z', ended_at: '2026-01-01T09:05:00Z', first_response_ms: null, rating: 5, version: 1 } });
    await a.close();
    expect(a.counters().pendingRows).toBe(701);
    expect(await count('page_views', 'c-restart')).toBe(0);

    const second = flaky(ch.client);
    const b = sink(second.client, spoolDir);
    expect(b.counters().pendingRows).toBe(701);
    await waitFor(() => b.counters().pendingRows === 0);
    expect(await count('page_views', 'c-restart')).toBe(700);
    expect(await count('conversation_facts', 'c-restart')).toBe(1);
    expect(b.counters().replayedRows).toBe(701);
    expect(sentOrder(second.state.sent, 'c-restart')).toEqual(range(0, 700));
    await b.close();
  });

  it('I1 record() never throws: unknown table, unserialisable row, missing company, after close', async () => {
    const s = sink(ch.client, join(root, 'spool-bad'));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => s.record({ table: 'users; DROP TABLE page_views', companyId: 'c-bad', row: {} })).not.toThrow();
    expect(() => s.record({ table: 'page_views', companyId: 'c-bad', row: { big: 1n } })).not.toThrow();
    expect(() => s.record({ table: 'page_views', companyId: 'c-bad', row: circular })).not.toThrow();
    expect(() => s.record({ table: 'page_views', companyId: '', row: {} })).not.toThrow();
    expect(() => s.record(null as never)).not.toThrow();
    s.record(view('c-bad', 1));
    await s.close();
    expect(() => s.record(view('c-bad', 2))).not.toThrow();
    expect(s.counters()).toMatchObject({ droppedRows: 6, insertedRows: 1 });
    expect(await count('page_views', 'c-bad')).toBe(1);
  });

  it('I1 the session company wins over a company_id inside the row', async () => {
    const s = sink(ch.client, join(root, 'spool-tenant'));
    s.record({ table: 'page_views', companyId: 'c-mine', row: { ...view('x', 1).row, company_id: 'c-theirs' } });
    await s.close();
    expect(await count('page_views', 'c-mine')).toBe(1);
    expect(await count('page_views', 'c-theirs')).toBe(0);
  });

  it('I1 a malformed batch is dead-lettered and does not block later batches', async () => {
    const spoolDir = join(root, 'spool-dead');
    const s = sink(ch.client, spoolDir);
    s.record({ table: 'page_views', companyId: 'c-dead', row: { ts: 'not a time', visit_id: 'x' } });
    await s.flush();
    for (let i = 0; i < 10; i++) s.record(view('c-dead', i));
    await s.close();
    expect(s.counters()).toMatchObject({ deadLetteredRows: 1, insertedRows: 10, pendingRows: 0 });
    expect(readdirSync(join(spoolDir, '_dead', 'page_views')).length).toBe(1);
    expect(await count('page_views', 'c-dead')).toBe(10);
  });

  it('I1 batches seal by size before the timer fires', async () => {
    const { client, state } = flaky(ch.client);
    const s = sink(client, join(root, 'spool-size'), { maxBatch: 100, flushMs: 60_000 });
    for (let i = 0; i < 250; i++) s.record(view('c-size', i));
    await waitFor(() => s.counters().insertedRows === 200);
    expect(state.sent.map((x) => x.lines.length)).toEqual([100, 100]);
    await s.close();
    expect(await count('page_views', 'c-size')).toBe(250);
  });
});
