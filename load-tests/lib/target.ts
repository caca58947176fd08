// What run.ts measures against: a fresh database on the Postgres server, the
// real server as a child process (raised open-files limit, optional CPU
// profile), and the Socket.IO baseline. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Owner/superuser URL of a maintenance database; LOAD_PG_URL overrides. */
export const ADMIN_URL = process.env.LOAD_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface LoadDatabase { name: string; ownerUrl: string; drop(): Promise<void> }

export async function createDatabase(name: string, opts: { synchronousCommit: boolean }): Promise<LoadDatabase> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    if (!opts.synchronousCommit) await admin.unsafe(`alter database ${name} set synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    name, ownerUrl: u.toString(),
    async drop() {
      const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try { await sql.unsafe(`drop database if exists ${name} with (force)`); } finally { await sql.end(); }
    },
  };
}

export interface ChildServer { url: string; port: number; pid: number; stop(): Promise<void>; output(): string }

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns `node --import tsx <script>` under a shell that first raises `ulimit -n` to the hard limit. */
async function spawnNode(script: string, env: Record<string, string>, ready: RegExp, nodeFlags: string[] = []): Promise<{ child: ChildProcess; log: () => string; match: RegExpMatchArray }> {
  const cmd = `ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" ${nodeFlags.join(' ')} --import tsx "${script}"`;
  const child = spawn('/bin/sh', ['-c', cmd], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${log.slice(-4000)}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = ready.exec(log);
      if (m) { clearTimeout(timer); resolve(m); }
    });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${script} exited with ${code}:\n${log.slice(-4000)}`)); });
  });
  child.once('exit', (code, signal) => { log += `\n[${script} exited: code ${code}, signal ${signal}]\n`; });
  // Keep only the tail: a long run must not grow this string without bound.
  child.stdout!.on('data', () => { if (log.length > 200_000) log = log.slice(-100_000); });
  return { child, log: () => log, match };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  };
}

export async function startSwitchboard(opts: { ownerUrl: string; env?: Record<string, string>; cpuProfDir?: string }): Promise<ChildServer> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-load-'));
  const url = `http://127.0.0.1:${port}`;
  // --expose-gc only lets /load/memory collect before it reads (the idle scenario's figure).
  const flags = ['--expose-gc', ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-interval=2000', `--cpu-prof-dir=${opts.cpuProfDir}`] : [])];
  const { child, log } = await spawnNode('server/src/main.ts', {
    PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATA_DIR: dataDir, DATABASE_URL: opts.ownerUrl,
    LOG_LEVEL: 'warn', SEED_DEMO: 'false', ECHO_ENDPOINT: 'true', ...opts.env,
  }, /Press Ctrl-C to stop/, flags);
  const stop = stopper(child);
  return {
    url, port, pid: child.pid!, output: log,
    async stop() { await stop(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  };
}

export async function startSocketIoRelay(ownerUrl: string): Promise<ChildServer> {
  const { child, log, match } = await spawnNode('load-tests/baselines/socketio-relay.ts', { PORT: '0', DATABASE_URL: ownerUrl }, /listening (\d+)/);
  const port = Number(match[1]);
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, output: log, stop: stopper(child) };
}
