// Opens ClickHouse: embedded chDB in `dataDir` by default, a server when a URL is
// configured (CLICKHOUSE_URL). Both are driven through @clickhouse/client so every
// query and insert is the same SQL either way. chDB runs in a worker thread (see
// worker/): its calls are synchronous native work that would stall chat here.
import { mkdirSync } from 'node:fs';
import { createClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import type { Logger as ChLogger, LogParams, WarnLogParams, ErrorLogParams } from '@clickhouse/client';
import type { Logger } from 'pino';
import { openChdbWorkerClient } from './worker/index.js';

export interface ClickHouseHandle {
  client: ClickHouseClient;
  kind: 'chdb' | 'server';
  /** The database every unqualified table name resolves to. */
  database: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenClickHouseOptions {
  /** CLICKHOUSE_URL; when absent chDB runs in-process. */
  url?: string | undefined;
  /** chDB data directory (data/ch). chDB binds one directory per process. */
  dataDir: string;
  database?: string | undefined;
  logger: Logger;
  /** Server mode only; keeps an unreachable server from stalling the sink for long. */
  requestTimeoutMs?: number;
  /**
   * chDB only: 'worker' (default) runs chDB in a worker thread; 'main' runs it on
   * the calling thread (benchmarks, and a way back if the worker misbehaves).
   * chDB binds one data directory per process, whichever thread opens it.
   */
  chdbThread?: 'worker' | 'main';
  /** chDB worker only: per-request timeout, queue wait included (default 120 s). */
  workerTimeoutMs?: number;
}

type ChdbAsClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openClickHouse(opts: OpenClickHouseOptions): Promise<ClickHouseHandle> {
  const database = opts.database ?? 'default';
  if (!DATABASE_NAME.test(database)) throw new Error(`invalid ClickHouse database name: ${database}`);
  const log = opts.logger.child({ component: 'clickhouse' });
  const logOpts = { LoggerClass: pinoBridge(log), level: ClickHouseLogLevel.WARN };

  if (opts.url) {
    const requestTimeout = opts.requestTimeoutMs ?? 10_000;
    // The database may not exist yet; create it over a database-less client first.
    if (database !== 'default') {
      const admin = createClient({ url: opts.url, request_timeout: requestTimeout, log: logOpts });
      try {
        await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
      } catch (err) {
        // Unreachable at boot is allowed: the sink spools until it comes back.
        log.warn({ err }, 'could not create ClickHouse database (server unreachable?)');
      } finally {
        await admin.close();
      }
    }
    const client = createClient({ url: opts.url, database, request_timeout: requestTimeout, log: logOpts });
    log.info({ url: redact(opts.url), database }, 'ClickHouse server client ready');
    return handle(client, 'server', database);
  }

  mkdirSync(opts.dataDir, { recursive: true });
  const inWorker = (opts.chdbThread ?? 'worker') === 'worker';
  const client = inWorker
    ? (await openChdbWorkerClient({ dataDir: opts.dataDir, timeoutMs: opts.workerTimeoutMs, log: logOpts })).client
    : await openChdbHere(opts.dataDir, logOpts);
  if (database !== 'default') {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    // chDB keeps USE for the life of the session, like a server's default database.
    await client.command({ query: `USE ${database}` });
  }
  log.info({ dataDir: opts.dataDir, database, thread: inWorker ? 'worker' : 'main' }, 'chDB (embedded ClickHouse) ready');
  return handle(client, 'chdb', database);
}

/** chDB on this thread. Imported lazily: loading chDB here in worker mode would be a second copy in the process. */
async function openChdbHere(dataDir: string, log: NonNullable<Parameters<typeof createClient>[0]>['log']): Promise<ClickHouseClient> {
  const { createChdbConnection } = await import('chdb/connection');
  // chDB implements the client's Connection contract against its own copy of
  // @clickhouse/client-common typings; the two differ only in settings typings.
  const connection = createChdbConnection({ path: dataDir }) as unknown as ChdbAsClientConnection;
  return createClient({ connection, log });
}

function handle(client: ClickHouseClient, kind: 'chdb' | 'server', database: string): ClickHouseHandle {
  let closed = false;
  return {
    client,
    kind,
    database,
    async ping() {
      if (closed) return false;
      try {
        return (await client.ping()).success;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

/** Routes @clickhouse/client's own diagnostics into our pino logger. */
function pinoBridge(log: Logger): new () => ChLogger {
  return class implements ChLogger {
    trace(p: LogParams) { log.trace({ module: p.module, args: p.args }, p.message); }
    debug(p: LogParams) { log.debug({ module: p.module, args: p.args }, p.message); }
    info(p: LogParams) { log.info({ module: p.module, args: p.args }, p.message); }
    // The sink reports failed inserts itself; the client's per-request noise is debug.
    warn(p: WarnLogParams) { log.debug({ module: p.module, err: p.err }, p.message); }
    error(p: ErrorLogParams) { log.debug({ module: p.module, err: p.err }, p.message); }
  };
}
