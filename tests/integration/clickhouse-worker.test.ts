// chDB in a worker thread (adapters/clickhouse/worker): the proxied client must
// answer exactly like chDB driven from this thread, one request at a time, and
// leave this thread's event loop free while chDB works. The direct client opens
// the same data directory (chDB binds one per process), after the worker, so the
// test can first check that worker mode never loads chDB on this thread.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { insertBatch } from '../../server/src/adapters/clickhouse/insert.js';
import { migrateClickHouse } from '../../server/src/adapters/clickhouse/migrate.js';
import { openChdbWorkerClient, type ChdbWorkerClient } from '../../server/src/adapters/clickhouse/worker/index.js';

const logger = pino({ level: 'silent' });
const require = createRequire(import.meta.url);
let root: string;
let worker: ClickHouseHandle;
let direct: ClickHouseHandle;
let chdbLoadedHereInWorkerMode = true;

const chdbModulesHere = () => Object.keys(require.cache).filter((k) => /[\\/]chdb[\\/]|chdb_node\.node$/.test(k));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-ch-worker-'));
  worker = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_worker', logger });
  await migrateClickHouse(worker.client, logger);
  chdbLoadedHereInWorkerMode = chdbModulesHere().length > 0;
  direct = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_worker', logger, chdbThread: 'main' });
});
afterAll(async () => {
  await worker?.close();
  await direct?.close();
  rmSync(root, { recursive: true, force: true });
});

async function both<T>(f: (c: ClickHouseClient) => Promise<T>): Promise<[T, T]> {
  return [await f(worker.client), await f(direct.client)];
}

describe('chDB worker client', () => {
  it('is the default for chDB and keeps chDB off this thread', () => {
    expect(worker.kind).toBe('chdb');
    expect(chdbLoadedHereInWorkerMode).toBe(false);
  });

  it('query with query_params gives the same rows, JSON document and text as the direct client', async () => {
    const query = 'SELECT number AS n, toString(number * {k:UInt32}) AS s, {tag:String} AS tag FROM numbers(10) WHERE number >= {from:UInt32}';
    const query_params = { k: 7, tag: "o'neil \\ \"x\"", from: 4 };
    const [wRows, dRows] = await both(async (c) => (await c.query({ query, query_params, format: 'JSONEachRow' })).json());
    expect(wRows).toHaveLength(6);
    expect(wRows).toEqual(dRows);
    const [wText, dText] = await both(async (c) => (await c.query({ query, query_params, format: 'CSV' })).text());
    expect(wText.trim().split('\n')).toHaveLength(6);
    expect(wText).toBe(dText);
    // WITH TOTALS in the JSON document (select() in reports reads it); statistics hold timings.
    const doc = 'SELECT number % 2 AS odd, count() AS c FROM numbers({n:UInt32}) GROUP BY odd WITH TOTALS ORDER BY odd';
    const [wDoc, dDoc] = await both(async (c) => {
      const body = JSON.parse(await (await c.query({ query: doc, query_params: { n: 9 }, format: 'JSON' })).text()) as Record<string, unknown>;
      delete body.statistics;
      return body as { rows: number; totals: { c: unknown } };
    });
    expect(wDoc).toEqual(dDoc);
    expect(wDoc).toMatchObject({ rows: 2 });
    expect(Number(wDoc.totals.c)).toBe(9);
  });

  it('command, insert and exec write what the direct client reads back', async () => {
    await worker.client.command({ query: 'CREATE TABLE IF NOT EXISTS w_parity (id UInt32, name String, at DateTime64(3, \'UTC\')) ENGINE = MergeTree ORDER BY id' });
    await worker.client.insert({
      table: 'w_parity', format: 'JSONEachRow',
      values: [{ id: 1, name: 'a', at: '2026-01-02 03:04:05.678' }, { id: 2, name: 'b', at: '2026-01-02 03:04:06.000' }],
    });
    const r = await insertBatch(worker.client, 'page_views', 'w-parity-1', `${JSON.stringify({ company_id: 'cw', ts: Date.UTC(2026, 0, 2), visitor_id: 'v1', visit_id: 's1', url: 'https://x/' })}\n`);
    expect(r).toEqual({ ok: true });
    await direct.client.insert({ table: 'w_parity', format: 'JSONEachRow', values: [{ id: 3, name: 'c', at: '2026-01-02 03:04:07.000' }] });
    const sql = 'SELECT id, name, at FROM w_parity ORDER BY id';
    const [w, d] = await both(async (c) => (await c.query({ query: sql, format: 'JSONEachRow' })).json<{ id: number; name: string }>());
    expect(w.map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(w).toEqual(d);
    const [pw, pd] = await both(async (c) =>
      (await c.query({ query: "SELECT count() AS n FROM page_views WHERE company_id = {c:String}", query_params: { c: 'cw' }, format: 'JSONEachRow' })).json<{ n: string }>(),
    );
    expect(Number(pw[0]!.n)).toBe(1);
    expect(pw).toEqual(pd);
  });

  it('ClickHouse errors come back as errors with the original message and code', async () => {
    const bad = (c: ClickHouseClient) => c.query({ query: 'SELECT * FROM no_such_table_w', format: 'JSONEachRow' });
    const we = await bad(worker.client).then(() => null, (e: unknown) => e as Error & { code?: string });
    const de = await bad(direct.client).then(() => null, (e: unknown) => e as Error & { code?: string });
    expect(we).toBeInstanceOf(Error);
    expect(we!.message).toBe(de!.message);
    expect(we!.message).toMatch(/no_such_table_w/);
    expect(we!.code).toBe(de!.code);
    // A malformed batch is still told apart from an outage (insert.ts reads the code).
    const r = await insertBatch(worker.client, 'page_views', 'w-bad-1', '{"company_id":"cw","ts":"not a time"}\n');
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.retry).toBe(false);
  });

  it('concurrent requests all get their own answer, run one at a time', async () => {
    const n = 24;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        i % 3 === 0
          ? worker.client.command({ query: `SELECT ${i}` }).then(() => ({ i, seen: i, running: 1 }))
          : worker.client
              .query({
                query: 'SELECT {i:UInt32} AS seen, (SELECT count() FROM system.processes) AS running',
                query_params: { i },
                format: 'JSONEachRow',
              })
              .then(async (rs) => ({ i, ...(await rs.json<{ seen: number; running: string }>())[0]! })),
      ),
    );
    expect(answers.map((a) => Number(a.seen))).toEqual(answers.map((a) => a.i));
    // system.processes lists every query running in the process: only ever this one.
    expect(new Set(answers.map((a) => Number(a.running)))).toEqual(new Set([1]));
  });

  it('an aborted request is dropped and the worker goes on serving', async () => {
    const ac = new AbortController();
    const heavy = worker.client.query({ query: 'SELECT sum(cityHash64(number)) AS s FROM numbers(30000000)', format: 'JSONEachRow', abort_signal: ac.signal });
    ac.abort(new Error('user went away'));
    await expect(heavy).rejects.toThrow(/user went away|abort/i);
    const rs = await worker.client.query({ query: 'SELECT 42 AS x', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ x: 42 }]);
  });

  it("this thread's event loop keeps turning while the worker runs a heavy query", async () => {
    let ticks = 0;
    let running = true;
    const spin = () => {
      ticks++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const ticksBefore = ticks;
    const rs = await worker.client.query({
      query: 'SELECT count() AS c, sum(cityHash64(toString(number))) AS s FROM numbers(20000000)',
      format: 'JSONEachRow',
    });
    const ticksDuring = ticks - ticksBefore;
    running = false;
    expect(Number((await rs.json<{ c: string }>())[0]!.c)).toBe(20_000_000);
    expect(ticksDuring).toBeGreaterThan(0);
  });
});

describe('chDB worker lifecycle', () => {
  let w: ChdbWorkerClient;
  beforeAll(async () => {
    // A second client on the same directory shares the worker; its close() is its own.
    w = await openChdbWorkerClient({ dataDir: join(root, 'ch') });
  });

  it('close() answers what was already sent, then rejects later calls with a clear error', async () => {
    const sent = Array.from({ length: 5 }, (_, i) =>
      w.client.query({ query: 'SELECT {i:UInt32} AS i', query_params: { i }, format: 'JSONEachRow' }).then((rs) => rs.json<{ i: number }>()),
    );
    await w.client.close();
    expect((await Promise.all(sent)).map((r) => r[0]!.i)).toEqual([0, 1, 2, 3, 4]);
    await expect(w.client.query({ query: 'SELECT 1' })).rejects.toThrow(/client is closed/);
    await expect(w.client.command({ query: 'SELECT 1' })).rejects.toThrow(/client is closed/);
    expect((await w.client.ping()).success).toBe(false);
    expect(w.connection.pendingRequests).toBe(0);
    // The other client on the directory goes on.
    expect(await worker.ping()).toBe(true);
  });

  it('clients on one directory share its worker; closing one leaves the others working', async () => {
    const a = await openChdbWorkerClient({ dataDir: join(root, 'ch') });
    const b = await openChdbWorkerClient({ dataDir: join(root, 'ch') });
    await a.client.close();
    await expect(a.client.query({ query: 'SELECT 1' })).rejects.toThrow(/client is closed/);
    expect(await (await b.client.query({ query: 'SELECT 7 AS x', format: 'JSONEachRow' })).json()).toEqual([{ x: 7 }]);
    await b.client.close();
    expect(await worker.ping()).toBe(true);
  });
});
