// I6 goal funnels: definitions per company, kept next to the page views they
// measure. Edits and deletes are new versions (ReplacingMergeTree, read with
// FINAL); the table is tiny, so no partitioning.
import type { Migration } from './index.js';

export const migration: Migration = {
  version: 4,
  name: 'report_funnels',
  statements: [
    `CREATE TABLE IF NOT EXISTS report_funnels (
      company_id LowCardinality(String),
      id String,
      name String,
      steps Array(String),
      deleted UInt8,
      version UInt64
    ) ENGINE = ReplacingMergeTree(version)
    ORDER BY (company_id, id)`,
  ],
};
