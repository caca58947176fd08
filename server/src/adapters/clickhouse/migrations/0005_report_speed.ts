// Report speed (issue 6), exact by construction:
//  - visitor_hash / visit_hash: cityHash64 of the ids, MATERIALIZED at insert.
//    Distinct counts, the chats-per-visit join and the funnel's GROUP BY visit
//    work on 8-byte integers instead of hashing id strings on every report.
//    Parts written before this migration compute the column from its
//    expression when read, so figures are the same before and after the
//    MATERIALIZE COLUMN mutation below has rewritten them.
//  - page_views projection pv_buckets: page views and entries per company,
//    15-minute UTC bucket and path. Every real time zone's offset is a
//    multiple of 15 minutes, so any company-local day or hour is a whole number
//    of buckets: "page views per day" reads ~100 rows a day instead of every
//    view. A projection is kept per part by ClickHouse itself (no backfill race,
//    a deduplicated insert adds no projection rows either); parts without it
//    yet are read from the raw rows, so the result never depends on whether
//    MATERIALIZE PROJECTION has finished. Queries use it by grouping and
//    filtering on toStartOfFifteenMinutes(ts) (see domain/reports/buckets.ts).
// No pre-aggregate over visits / conversation_facts: their rows are replaced
// by later versions (ReplacingMergeTree), which an insert-time aggregate would
// count once per version; those reports read FINAL over time-ordered parts.
import type { Migration } from './index.js';

const hash = (table: string, column: string, of: string) => [
  `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} UInt64 MATERIALIZED cityHash64(${of})`,
  `ALTER TABLE ${table} MATERIALIZE COLUMN ${column}`,
];

export const PV_BUCKETS_PROJECTION = `SELECT company_id, toStartOfFifteenMinutes(ts), path, count(), sum(is_landing)
  GROUP BY company_id, toStartOfFifteenMinutes(ts), path`;

export const migration: Migration = {
  version: 5,
  name: 'report_speed',
  statements: [
    ...hash('page_views', 'visitor_hash', 'visitor_id'),
    ...hash('page_views', 'visit_hash', 'visit_id'),
    ...hash('visits', 'visitor_hash', 'visitor_id'),
    ...hash('visits', 'visit_hash', 'visit_id'),
    ...hash('conversation_facts', 'visit_hash', 'visit_id'),
    `ALTER TABLE page_views ADD PROJECTION IF NOT EXISTS pv_buckets (${PV_BUCKETS_PROJECTION})`,
    'ALTER TABLE page_views MATERIALIZE PROJECTION pv_buckets',
  ],
};
