// Runs the real server as a child process (as `npm start` does), so tests can
// kill it (SIGTERM for a clean stop, SIGKILL for a crash) and start it again on
// the same port, database and data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from './pg.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export interface DemoCredentials { companyId: string; agentId: string; password: string; publicKey: string }

export interface ServerProcess {
  url: string;
  port: number;
  db: TestDatabase;
  dataDir: string;
  demo: DemoCredentials;
  /** stops (SIGTERM, clean) or kills (SIGKILL) the process, then starts a new one on the same port */
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  dispose(): Promise<void>;
  output(): string;
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function spawnServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const db = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-proc-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const start = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: db.ownerUrl, LOG_LEVEL: 'info', PUBLIC_URL: `http://127.0.0.1:${port}`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const c = child;
    const from = log.length; // only this start's output counts
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
      const onData = (d: Buffer) => {
        log += d.toString();
        if (log.indexOf('Press Ctrl-C to stop', from) >= 0) { clearTimeout(timer); resolve(); }
      };
      c.stdout!.on('data', onData);
      c.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
      c.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log}`)); });
    });
  };

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await exited;
    child = null;
  };

  await start();
  const demo = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo.json'), 'utf8')) as DemoCredentials;
  return {
    url: `http://127.0.0.1:${port}`, port, db, dataDir, demo,
    async restart(signal = 'SIGTERM') { await stop(signal); await start(); },
    stop,
    async dispose() { await stop(); await db.drop(); fs.rmSync(dataDir, { recursive: true, force: true }); },
    output: () => log,
  };
}
