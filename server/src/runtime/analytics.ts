// Opens the analytics store: chDB in <dataDir>/ch unless CLICKHOUSE_URL is set,
// migrated, behind a batching sink that spools to <dataDir>/spool when away.
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { AnalyticsSink } from '../ports/analytics-sink.js';
import type { ClickHouseClient } from '@clickhouse/client';
import { openClickHouse } from '../adapters/clickhouse/client.js';
import { migrateClickHouse } from '../adapters/clickhouse/migrate.js';
import { createClickHouseSink } from '../adapters/clickhouse/sink.js';

export interface Analytics {
  sink: AnalyticsSink;
  /** for reports: read-only queries with query_params */
  client: ClickHouseClient;
  kind: 'chdb' | 'server';
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openAnalytics(config: Pick<Config, 'clickhouseUrl' | 'dataDir'>, logger: Logger): Promise<Analytics> {
  const ch = await openClickHouse({ url: config.clickhouseUrl ?? undefined, dataDir: path.join(config.dataDir, 'ch'), logger });
  try {
    await migrateClickHouse(ch.client, logger);
  } catch (err) {
    // A server that is down at start must not stop chat: the sink spools until it is back.
    if (ch.kind === 'chdb') { await ch.close(); throw err; }
    logger.error({ err }, 'ClickHouse migration failed; analytics will spool until it is reachable');
  }
  const sink = createClickHouseSink({ client: ch.client, spoolDir: path.join(config.dataDir, 'spool'), logger });
  return {
    sink,
    client: ch.client,
    kind: ch.kind,
    ping: () => ch.ping(),
    async close() {
      await sink.close();
      await ch.close();
    },
  };
}
