// I1 tracking: one row per page view, one (replaced) row per visit.
// Exit page and time on page are not stored on page_views (they are only known
// after the next view or the visit's end); see page_views_timed in 0003.
import type { Migration } from './index.js';

// Region, browser and source columns shared by page_views and visits.
export const CONTEXT_COLUMNS = `
  referrer String,
  referrer_host LowCardinality(String),
  search_engine LowCardinality(String),
  keyword String,
  utm_source LowCardinality(String),
  utm_medium LowCardinality(String),
  utm_campaign LowCardinality(String),
  utm_term String,
  utm_content String,
  visit_number UInt32,
  is_new UInt8,
  country LowCardinality(String),
  province LowCardinality(String),
  city LowCardinality(String),
  isp LowCardinality(String),
  ip String,
  browser LowCardinality(String),
  browser_version LowCardinality(String),
  os LowCardinality(String),
  device LowCardinality(String),
  screen LowCardinality(String),
  language LowCardinality(String)`;

// Insert dedup by insert_deduplication_token needs a window on non-replicated tables.
export const DEDUP = 'non_replicated_deduplication_window = 1000';

export const migration: Migration = {
  version: 1,
  name: 'tracking',
  statements: [
    `CREATE TABLE IF NOT EXISTS page_views (
      company_id LowCardinality(String),
      visitor_id String,
      visit_id String,
      ts DateTime64(3, 'UTC'),
      url String,
      path String,
      title String,
      is_landing UInt8,${CONTEXT_COLUMNS},
      INDEX idx_visitor visitor_id TYPE bloom_filter(0.01) GRANULARITY 4,
      INDEX idx_visit visit_id TYPE bloom_filter(0.01) GRANULARITY 4
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(ts)
    ORDER BY (company_id, ts)
    SETTINGS ${DEDUP}`,
    // Rewritten as the visit goes on (pages, ended_at, exit); the highest version
    // wins. started_at must stay the same on every row of a visit: it picks the
    // partition, and rows only replace each other inside one.
    `CREATE TABLE IF NOT EXISTS visits (
      company_id LowCardinality(String),
      visit_id String,
      visitor_id String,
      started_at DateTime64(3, 'UTC'),
      ended_at DateTime64(3, 'UTC'),
      pages UInt32,
      duration_ms UInt64,
      landing_url String,
      landing_path String,
      exit_url String,
      exit_path String,
      chatted UInt8,${CONTEXT_COLUMNS},
      version UInt64,
      INDEX idx_visitor visitor_id TYPE bloom_filter(0.01) GRANULARITY 4
    ) ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(started_at)
    ORDER BY (company_id, toDate(started_at), visit_id)
    SETTINGS ${DEDUP}`,
  ],
};
