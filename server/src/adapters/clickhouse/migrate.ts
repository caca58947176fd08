// Applies MIGRATIONS in order, recording each in schema_migrations. ClickHouse has
// no transactions or locks: statements are idempotent, and two processes racing
// through the same migration both succeed (the table is a ReplacingMergeTree, so
// the duplicate row collapses).
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export interface MigrateResult {
  applied: number[];
  current: number;
}

export async function migrateClickHouse(
  client: ClickHouseClient,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  assertOrdered(migrations);
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32,
      name String,
      checksum String,
      applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const done = await appliedChecksums(client);
  const applied: number[] = [];
  for (const m of migrations) {
    const sum = checksum(m);
    const seen = done.get(m.version);
    if (seen !== undefined) {
      if (seen !== sum) logger.warn({ version: m.version, name: m.name }, 'applied ClickHouse migration was edited since');
      continue;
    }
    for (const statement of m.statements) await client.command({ query: statement });
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name, checksum: sum, applied_at: Date.now() }],
      format: 'JSONEachRow',
    });
    applied.push(m.version);
    logger.info({ version: m.version, name: m.name }, 'ClickHouse migration applied');
  }
  return { applied, current: migrations.at(-1)?.version ?? 0 };
}

async function appliedChecksums(client: ClickHouseClient): Promise<Map<number, string>> {
  const rs = await client.query({
    query: 'SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version',
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ version: number; checksum: string }>();
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

function checksum(m: Migration): string {
  return createHash('sha256').update(m.statements.join('\n;\n')).digest('hex').slice(0, 16);
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`ClickHouse migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
