// Boots the real server on port 0 against a fresh database cloned from the
// migrated template and a chDB directory of this test process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { createTestDatabase, type TestDatabase } from './pg.js';

export interface TestServer extends RunningServer {
  db: TestDatabase;
  dataDir: string;
  config: Config;
  /** stops the server and starts it again on the same database and data dir */
  restart(): Promise<TestServer>;
  /** stops the server and drops the database */
  dispose(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, reuse?: { db: TestDatabase; dataDir: string; port?: number }): Promise<TestServer> {
  const db = reuse?.db ?? (await createTestDatabase());
  // chDB binds one data directory per process: keep one per test worker.
  const dataDir = reuse?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `sb-test-${process.pid}-`));
  const config = loadConfig({
    PORT: String(reuse?.port ?? 0), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: db.ownerUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', SEED_DEMO: 'true', AGENT_GRACE_SECONDS: '2', ...env,
  });
  const server = await startServer(config, createLogger(config.logLevel));
  const self: TestServer = {
    ...server, db, dataDir, config,
    async restart() {
      await server.close();
      // A new port: in one process the old port stays held while keep-alive connections linger.
      return startTestServer(env, { db, dataDir });
    },
    async dispose() {
      await server.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
