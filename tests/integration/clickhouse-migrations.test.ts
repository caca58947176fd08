// ClickHouse schema on real chDB, and the CLICKHOUSE_URL (server) path as far as
// it goes without a ClickHouse server: a closed port, and a fake HTTP endpoint
// that records what the client sends and can fail on demand.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '../../server/src/adapters/clickhouse/migrate.js';
import { MIGRATIONS } from '../../server/src/adapters/clickhouse/migrations/index.js';
import { createClickHouseSink } from '../../server/src/adapters/clickhouse/sink.js';

const logger = pino({ level: 'silent' });
let root: string;
let ch: ClickHouseHandle;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-ch-migr-'));
  ch = await openClickHouse({ dataDir: join(root, 'ch'), database: 'sb_migr', logger });
});
afterAll(async () => {
  await ch?.close();
  rmSync(root, { recursive: true, force: true });
});

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

describe('ClickHouse migrations on chDB', () => {
  it('apply in order once; running again applies nothing', async () => {
    expect(ch.kind).toBe('chdb');
    expect(await ch.ping()).toBe(true);
    const first = await migrateClickHouse(ch.client, logger);
    expect(first).toEqual({ applied: MIGRATIONS.map((m) => m.version), current: MIGRATIONS.length });
    const second = await migrateClickHouse(ch.client, logger);
    expect(second).toEqual({ applied: [], current: MIGRATIONS.length });
    const versions = await rows<{ version: number }>('SELECT DISTINCT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
    const tables = await rows<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name",
    );
    expect(tables.map((t) => t.name)).toEqual([
      'agent_status_events', 'conversation_facts', 'offline_messages', 'page_views', 'page_views_timed', 'report_funnels', 'schema_migrations', 'visits',
    ]);
  });

  it('every analytics table leads its sort key with company_id and partitions by month', async () => {
    const t = await rows<{ name: string; sorting_key: string; partition_key: string }>(
      "SELECT name, sorting_key, partition_key FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name NOT IN ('schema_migrations', 'report_funnels')",
    );
    expect(t).toHaveLength(5);
    for (const x of t) {
      expect(x.sorting_key.startsWith('company_id')).toBe(true);
      expect(x.partition_key).toMatch(/^toYYYYMM\(/);
    }
  });

  it('a later migration is applied alone; a gap in numbering is refused', async () => {
    const extra = { version: MIGRATIONS.length + 1, name: 'probe', statements: ['CREATE TABLE IF NOT EXISTS probe (company_id String) ENGINE = MergeTree ORDER BY company_id'] };
    expect((await migrateClickHouse(ch.client, logger, [...MIGRATIONS, extra])).applied).toEqual([extra.version]);
    expect((await migrateClickHouse(ch.client, logger, [...MIGRATIONS, extra])).applied).toEqual([]);
    await expect(migrateClickHouse(ch.client, logger, [MIGRATIONS[0]!, extra])).rejects.toThrow(/expected 2/);
  });

  it('I5 page_views_timed derives exit pages and time on page for one company only', async () => {
    const t0 = Date.UTC(2026, 2, 1, 10);
    await ch.client.insert({
      table: 'page_views',
      format: 'JSONEachRow',
      values: [
        { company_id: 'c-a', visit_id: 'v1', ts: t0, path: '/a' },
        { company_id: 'c-a', visit_id: 'v1', ts: t0 + 4000, path: '/b' },
        { company_id: 'c-a', visit_id: 'v2', ts: t0 + 1000, path: '/only' },
        { company_id: 'c-b', visit_id: 'v1', ts: t0 + 2000, path: '/other-tenant' },
      ],
    });
    await ch.client.insert({
      table: 'visits',
      format: 'JSONEachRow',
      values: [
        { company_id: 'c-a', visit_id: 'v1', started_at: t0, ended_at: t0 + 10_000, pages: 2, version: 2 },
        { company_id: 'c-a', visit_id: 'v1', started_at: t0, ended_at: t0 + 4000, pages: 2, version: 1 },
      ],
    });
    const r = await rows<{ path: string; is_exit: number; time_on_page_ms: string }>(
      `SELECT path, is_exit, time_on_page_ms FROM page_views_timed(company_id = {c:String},
         from = {f:DateTime64(3, 'UTC')}, to = {t:DateTime64(3, 'UTC')}) ORDER BY ts`,
      { c: 'c-a', f: '2026-03-01 00:00:00', t: '2026-03-02 00:00:00' },
    );
    expect(r.map((x) => [x.path, x.is_exit, Number(x.time_on_page_ms)])).toEqual([
      ['/a', 0, 4000],
      ['/only', 1, 0], // no visits row yet: time unknown, not invented
      ['/b', 1, 6000],
    ]);
  });
});

describe('CLICKHOUSE_URL (server mode) without a server', () => {
  it('an unreachable server: open succeeds, ping is false, the sink spools to disk', async () => {
    const port = await closedPort();
    const srv = await openClickHouse({ url: `http://127.0.0.1:${port}`, dataDir: join(root, 'unused'), database: 'sb', logger, requestTimeoutMs: 1000 });
    expect(srv.kind).toBe('server');
    expect(await srv.ping()).toBe(false);
    const spoolDir = join(root, 'spool-unreachable');
    const sink = createClickHouseSink({ client: srv.client, spoolDir, logger, flushMs: 50, retryMinMs: 10_000 });
    for (let i = 0; i < 20; i++) sink.record({ table: 'page_views', companyId: 'c1', row: { visit_id: `v${i}`, ts: Date.now() } });
    await sink.close();
    expect(sink.counters()).toMatchObject({ spooledRows: 20, pendingRows: 20, insertedRows: 0 });
    expect(await sink.healthy()).toBe(false);
    expect(readdirSync(join(spoolDir, 'page_views'))).toHaveLength(1);
    await srv.close();
    expect(await srv.ping()).toBe(false);
  });

  it('over HTTP: database, dedup token and NDJSON body are sent; a 5xx spools and a later 200 replays the same batch', async () => {
    const seen: { database: string | null; query: string; body: string }[] = [];
    let failing = true;
    const fake = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readBody(req);
      if (url.pathname === '/ping') return void res.end('Ok.\n');
      const query = url.searchParams.get('query') ?? body;
      if (!query.startsWith('INSERT')) return void res.end(); // CREATE DATABASE etc.
      seen.push({ database: url.searchParams.get('database'), query, body });
      if (failing) {
        res.writeHead(500, { 'X-ClickHouse-Exception-Code': '241' });
        return void res.end('Code: 241. DB::Exception: Memory limit exceeded. (MEMORY_LIMIT_EXCEEDED)');
      }
      res.end();
    });
    const port = await listen(fake);
    try {
      const srv = await openClickHouse({ url: `http://127.0.0.1:${port}`, dataDir: join(root, 'unused'), database: 'sb', logger });
      expect(await srv.ping()).toBe(true);
      const sink = createClickHouseSink({ client: srv.client, spoolDir: join(root, 'spool-fake'), logger, flushMs: 50, retryMinMs: 20, retryMaxMs: 50 });
      sink.record({ table: 'offline_messages', companyId: 'c9', row: { id: 'm1', ts: 1, reason: 'offline' } });
      await sink.flush();
      expect(sink.counters()).toMatchObject({ spooledRows: 1, insertedRows: 0 });
      failing = false;
      const until = Date.now() + 5000;
      while (sink.counters().pendingRows > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(sink.counters()).toMatchObject({ replayedRows: 1, pendingRows: 0 });
      await sink.close();
      await srv.close();

      expect(seen).toHaveLength(2);
      const [a, b] = seen;
      expect(a!.database).toBe('sb');
      expect(a!.query).toMatch(/^INSERT INTO offline_messages SETTINGS insert_deduplication_token = 'offline_messages:[0-9a-z-]+'/);
      expect(b!.query).toBe(a!.query); // the replay carries the same token
      expect(JSON.parse(a!.body.trim())).toEqual({ id: 'm1', ts: 1, reason: 'offline', company_id: 'c9' });
    } finally {
      fake.close();
    }
  });
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (s += d));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}
