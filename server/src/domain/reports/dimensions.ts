// The fixed whitelist of dimensions (I10): every filter, grouping and drill-down
// names one of these keys, and the SQL for it comes from here, never from the
// request. Each dimension lists the expression per table it exists in; a filter
// on a dimension a report's table lacks is a 400, not a silent no-op.
export type FactTable = 'visits' | 'page_views' | 'conversation_facts' | 'offline_messages';

export interface Dimension {
  key: string;
  label: string;
  /** SQL yielding a String, per table (columns unqualified). */
  sql: Partial<Record<FactTable, string>>;
}

const CONTEXT = (col: string) => ({ visits: col, page_views: col });
const EVERYWHERE = (col: string) => ({ visits: col, page_views: col, conversation_facts: col, offline_messages: col });

// search engine wins over a plain referring site; utm-only traffic without a
// referrer is 'campaign'.
export const SOURCE_TYPE_SQL =
  "multiIf(search_engine != '', 'search', referrer_host != '', 'site', utm_source != '', 'campaign', 'direct')";

export const DIMENSIONS: readonly Dimension[] = [
  { key: 'source_type', label: 'Source type', sql: CONTEXT(SOURCE_TYPE_SQL) },
  { key: 'search_engine', label: 'Search engine', sql: EVERYWHERE('search_engine') },
  { key: 'keyword', label: 'Keyword', sql: EVERYWHERE('keyword') },
  { key: 'referrer_host', label: 'Referring site', sql: CONTEXT('referrer_host') },
  { key: 'utm_source', label: 'Campaign source', sql: CONTEXT('utm_source') },
  { key: 'utm_medium', label: 'Campaign medium', sql: CONTEXT('utm_medium') },
  { key: 'utm_campaign', label: 'Campaign', sql: CONTEXT('utm_campaign') },
  { key: 'visitor_type', label: 'New / returning', sql: CONTEXT("if(is_new = 1, 'new', 'returning')") },
  { key: 'country', label: 'Country', sql: EVERYWHERE('country') },
  { key: 'province', label: 'Region', sql: EVERYWHERE('province') },
  { key: 'city', label: 'City', sql: EVERYWHERE('city') },
  { key: 'browser', label: 'Browser', sql: CONTEXT('browser') },
  { key: 'os', label: 'OS', sql: CONTEXT('os') },
  { key: 'device', label: 'Device', sql: CONTEXT('device') },
  { key: 'screen', label: 'Screen', sql: CONTEXT('screen') },
  { key: 'language', label: 'Language', sql: CONTEXT('language') },
  { key: 'landing_page', label: 'Landing page', sql: { visits: 'landing_path' } },
  { key: 'exit_page', label: 'Exit page', sql: { visits: 'exit_path' } },
  { key: 'page', label: 'Page', sql: { page_views: 'path' } },
  { key: 'agent', label: 'Agent', sql: { conversation_facts: 'agent_id' } },
  { key: 'group', label: 'Group', sql: { conversation_facts: 'group_id' } },
  { key: 'channel', label: 'Channel', sql: { conversation_facts: 'channel' } },
  { key: 'topic', label: 'Topic', sql: { conversation_facts: 'topic' } },
  { key: 'category', label: 'Category', sql: { conversation_facts: 'category' } },
  { key: 'offline_type', label: 'Message type', sql: { offline_messages: 'type' } },
  { key: 'offline_reason', label: 'Reason', sql: { offline_messages: 'reason' } },
];

const BY_KEY = new Map(DIMENSIONS.map((d) => [d.key, d]));

export function dimension(key: string): Dimension | undefined {
  return BY_KEY.get(key);
}

/** Dimension keys usable on a table, for the console's filter picker. */
export function dimensionsOf(table: FactTable): string[] {
  return DIMENSIONS.filter((d) => d.sql[table] !== undefined).map((d) => d.key);
}
