// Embedded PostgreSQL: first start initialises, a second start reuses the data
// (and the generated owner password), stop is clean and idempotent.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import pino from 'pino';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../server/src/adapters/postgres/embedded.js';

const logger = pino({ level: 'silent' });
const dataDir = resolve('.tmp', `test-embedded-${process.pid}`, 'pg');

afterAll(async () => {
  await rm(resolve(dataDir, '..'), { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('initialises once, keeps data across restarts and stops cleanly', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: 0, logger });
    expect(new URL(first.url).pathname).toBe('/switchboard');
    expect(new URL(first.url).password).not.toBe('');
    let sql = postgres(first.url, { max: 1, onnotice: () => {} });
    await sql`create table kept (v text)`;
    await sql`insert into kept values ('still here')`;
    await sql.end();
    await first.stop();
    await first.stop();
    await expect(postgres(first.url, { max: 1, connect_timeout: 2 })`select 1`).rejects.toThrow();

    const second = await startEmbeddedPostgres({ dataDir, port: 0, logger });
    try {
      expect(existsSync(resolve(dataDir, 'PG_VERSION'))).toBe(true);
      expect(new URL(second.url).password).toBe(new URL(first.url).password);
      sql = postgres(second.url, { max: 1 });
      expect(await sql`select v, current_setting('server_version_num')::int >= 180000 as pg18 from kept`).toEqual([{ v: 'still here', pg18: true }]);
      await sql.end();
    } finally {
      await second.stop();
    }
  });
});
