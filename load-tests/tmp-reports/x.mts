import pino from 'pino';
import { openClickHouse } from '/work/main/server/src/adapters/clickhouse/client.js';
import { migrateClickHouse } from '/work/main/server/src/adapters/clickhouse/migrate.js';
const logger = pino({ level: 'silent' });
const ch = await openClickHouse({ dataDir: '/tmp/chtest-data', logger });
await migrateClickHouse(ch.client, logger);
const rs = await ch.client.query({ query: `SELECT toString(toDate(toDateTime64('2025-01-31 17:00:00', 3, 'UTC'), {tz:String})) AS d, count() c, number % 2 AS k FROM numbers(10) WHERE toString(number) IN {f:Array(String)} GROUP BY d, k WITH TOTALS ORDER BY k SETTINGS output_format_json_quote_64bit_integers = 0`, query_params: { tz: 'Asia/Shanghai', f: ['1','2','3'] }, format: 'JSON' });
console.log(JSON.stringify(await rs.json()));
await ch.close();
