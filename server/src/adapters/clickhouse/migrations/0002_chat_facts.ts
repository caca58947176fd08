// I8/I9: one fact row per conversation, offline messages, agent status changes.
// Nullable where "none" must not count as zero in averages (no first response,
// not rated), so avg() stays exact.
import type { Migration } from './index.js';
import { DEDUP } from './0001_tracking.js';

export const migration: Migration = {
  version: 2,
  name: 'chat_facts',
  statements: [
    // Written when a conversation ends and again on re-evaluation (G1): highest
    // version wins; created_at must not change between versions.
    `CREATE TABLE IF NOT EXISTS conversation_facts (
      company_id LowCardinality(String),
      conversation_id String,
      visitor_id String,
      visit_id String,
      agent_id LowCardinality(String),
      group_id LowCardinality(String),
      channel LowCardinality(String),
      created_at DateTime64(3, 'UTC'),
      assigned_at Nullable(DateTime64(3, 'UTC')),
      wait_ms Nullable(UInt32),
      first_response_ms Nullable(UInt32),
      ended_at DateTime64(3, 'UTC'),
      duration_ms UInt64,
      messages_visitor UInt32,
      messages_agent UInt32,
      transferred UInt8,
      ended_by LowCardinality(String),
      rating Nullable(UInt8),
      topic LowCardinality(String),
      category LowCardinality(String),
      country LowCardinality(String),
      province LowCardinality(String),
      city LowCardinality(String),
      search_engine LowCardinality(String),
      keyword String,
      version UInt64
    ) ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(created_at)
    ORDER BY (company_id, toDate(created_at), conversation_id)
    SETTINGS ${DEDUP}`,
    // replied flips later: same key, higher version. ts must not change.
    `CREATE TABLE IF NOT EXISTS offline_messages (
      company_id LowCardinality(String),
      id String,
      ts DateTime64(3, 'UTC'),
      reason LowCardinality(String),
      type LowCardinality(String),
      source_url String,
      country LowCardinality(String),
      province LowCardinality(String),
      city LowCardinality(String),
      ip String,
      search_engine LowCardinality(String),
      keyword String,
      replied UInt8,
      version UInt64
    ) ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(ts)
    ORDER BY (company_id, toDate(ts), id)
    SETTINGS ${DEDUP}`,
    // Online time (I9) = sum of intervals between a status and the next one.
    `CREATE TABLE IF NOT EXISTS agent_status_events (
      company_id LowCardinality(String),
      agent_id LowCardinality(String),
      ts DateTime64(3, 'UTC'),
      status LowCardinality(String)
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(ts)
    ORDER BY (company_id, agent_id, ts)
    SETTINGS ${DEDUP}`,
  ],
};
