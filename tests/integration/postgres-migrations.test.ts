// Migrations are idempotent, the app role URL is derived predictably, and the
// tenancy check refuses to start on a table without forced RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pino from 'pino';
import postgres from 'postgres';
import { appRolePassword, appRoleUrl, migratePostgres, MIGRATIONS_DIR } from '../../server/src/adapters/postgres/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const logger = pino({ level: 'silent' });
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('migratePostgres', () => {
  it('is a no-op on a migrated database and returns the app role URL', async () => {
    const { appUrl } = await migratePostgres(db.ownerUrl, logger);
    expect(appUrl).toBe(db.appUrl);
    expect(new URL(appUrl).username).toBe('switchboard_app');
    expect(new URL(appUrl).pathname).toBe(`/${db.name}`);
    const owner = postgres(db.ownerUrl, { max: 1 });
    try {
      const rows = await owner`select name from pgmigrations order by id`;
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
      expect(files.slice(0, 2)).toEqual(['1764000000000_initial-schema', '1764000000001_append-messages-by-id']);
      expect(rows.map((r) => r.name)).toEqual(files);
    } finally {
      await owner.end();
    }
  });

  it('refuses a table without forced row-level security', async () => {
    const owner = postgres(db.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      await owner`create table leaky (company_id text)`;
      await expect(migratePostgres(db.ownerUrl, logger)).rejects.toThrow(/leaky: row-level security not enabled/);
      await owner`alter table leaky enable row level security`;
      await expect(migratePostgres(db.ownerUrl, logger)).rejects.toThrow(/leaky: row-level security not forced/);
      await owner`alter table leaky force row level security`;
      await expect(migratePostgres(db.ownerUrl, logger)).rejects.toThrow(/leaky: no policy/);
      await owner`create policy tenant on leaky using (company_id = current_setting('app.company_id', true))`;
      await expect(migratePostgres(db.ownerUrl, logger)).resolves.toEqual({ appUrl: db.appUrl });
    } finally {
      await owner`drop table if exists leaky`;
      await owner.end();
    }
  });
});

describe('app role password', () => {
  it('derives from the owner password, prefers APP_DB_PASSWORD, and is absent under trust auth', () => {
    const saved = process.env.APP_DB_PASSWORD;
    try {
      delete process.env.APP_DB_PASSWORD;
      const url = 'postgres://owner:s3cret@db.example:5432/sb';
      const expected = createHmac('sha256', 's3cret').update('switchboard_app').digest('base64url');
      expect(appRolePassword(url)).toBe(expected);
      expect(appRoleUrl(url)).toBe(`postgres://switchboard_app:${expected}@db.example:5432/sb`);
      expect(appRolePassword('postgres://postgres@127.0.0.1:5432/sb')).toBeNull();
      expect(appRoleUrl('postgres://postgres@127.0.0.1:5432/sb')).toBe('postgres://switchboard_app@127.0.0.1:5432/sb');
      process.env.APP_DB_PASSWORD = 'from-env';
      expect(appRolePassword(url)).toBe('from-env');
    } finally {
      if (saved === undefined) delete process.env.APP_DB_PASSWORD;
      else process.env.APP_DB_PASSWORD = saved;
    }
  });
});
