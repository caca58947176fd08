// ClickHouse adapter: connection, schema, and the AnalyticsSink implementation.
export { openClickHouse, type ClickHouseHandle, type OpenClickHouseOptions } from './client.js';
export { migrateClickHouse, type MigrateResult } from './migrate.js';
export { createClickHouseSink, type ClickHouseSink, type ClickHouseSinkOptions, type SinkCounters } from './sink.js';
export { ANALYTICS_TABLES, type AnalyticsTable } from './insert.js';
