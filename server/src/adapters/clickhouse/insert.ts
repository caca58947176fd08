// One NDJSON batch into one table, idempotently: the batch id is the insert's
// deduplication token, so a batch replayed after an insert whose reply was lost
// is dropped by ClickHouse instead of counted twice (window: 1000 inserts per
// table, see DEDUP in migrations). The token rides in the INSERT's own SETTINGS
// clause, not clickhouse_settings: chDB applies those as session-wide SET, which
// would leak the token into later inserts and silently drop them.
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';

export const ANALYTICS_TABLES = [
  'page_views',
  'visits',
  'conversation_facts',
  'offline_messages',
  'agent_status_events',
] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

export type InsertOutcome = { ok: true } | { ok: false; retry: boolean; error: Error };

const BATCH_ID = /^[0-9a-z-]{1,64}$/;

export async function insertBatch(
  client: ClickHouseClient,
  table: AnalyticsTable,
  batchId: string,
  body: string,
): Promise<InsertOutcome> {
  if (!BATCH_ID.test(batchId)) throw new Error(`invalid batch id ${batchId}`);
  // best_effort: ISO strings (JSON.stringify of a Date) and epoch milliseconds both parse.
  const query =
    `INSERT INTO ${table} SETTINGS insert_deduplication_token = '${table}:${batchId}', ` +
    `date_time_input_format = 'best_effort', input_format_skip_unknown_fields = 1 FORMAT JSONEachRow`;
  try {
    const res = await client.exec({ query, values: Readable.from([Buffer.from(body)], { objectMode: false }) });
    res.stream.destroy();
    return { ok: true };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { ok: false, retry: !isMalformedData(error), error };
  }
}

// ClickHouse error codes meaning "this batch can never be inserted as it is"
// (parse and type errors). Everything else (network, timeouts, missing table,
// memory, too many parts) is worth retrying later.
const MALFORMED = new Set([
  6, 25, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 130, 131, 190, 321, 349, 407,
]);

// Duck-typed: chDB throws ClickHouseError from its own copy of client-common, so
// instanceof against @clickhouse/client's class fails. Network errors carry
// string codes (ECONNREFUSED), ClickHouse errors numeric ones.
function isMalformedData(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^\d+$/.test(code) && MALFORMED.has(Number(code));
}
