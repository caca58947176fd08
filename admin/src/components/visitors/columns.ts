// C1 visitor-list columns: every column of the catalogue, in the default order,
// with its width, how it sorts and how a cell renders. The agent's choice and
// order are stored as a list of these keys (settings.visitorColumns; empty =
// all, default order). Cells only interpolate text: visitor-supplied values
// never go through innerHTML.
import { h, type VNode } from 'vue';
import type { VisitorRow } from '../../stores/visitors';
import { formatClock, formatDuration } from '../../lib/time';

export const COLUMN_KEYS = [
  'status', 'visitorId', 'name', 'channel', 'visits', 'ip', 'region', 'source', 'enteredAt',
  'waiting', 'lastMessage', 'leftAt', 'agent', 'page', 'language', 'client',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** What a cell needs beyond its row: texts, the clock, and chat facts the visitor feed does not carry. */
export interface CellContext {
  t: (key: string) => string;
  now: number;
  /** since when the visitor's chat request waits in the queue, or null */
  waitingSince(visitorId: string): number | null;
  /** time of the last message of the visitor's chat this console holds, or null */
  lastMessageAt(visitorId: string): number | null;
}

export interface VisitorColumn {
  key: ColumnKey;
  /** i18n key of the header */
  label: string;
  width: number;
  align?: 'left' | 'right';
  /** sort key; null sorts last */
  sortValue(row: VisitorRow, ctx: CellContext): string | number | null;
  cell(row: VisitorRow, ctx: CellContext): VNode | string;
}

const dash = (s: string | null | undefined) => (s ? s : '—');
export const sourceText = (v: { engine: string; keyword: string }, direct: string) =>
  (v.engine ? (v.keyword ? `${v.engine} · ${v.keyword}` : v.engine) : direct);
const clientText = (v: VisitorRow) => [v.browser, v.os].filter(Boolean).join(' / ') || '—';
const channelKey = (v: VisitorRow) => (v.device === 'mobile' || v.device === 'tablet' ? 'visitors.channelMobile' : 'visitors.channelWeb');
/** browsing / chatting / waiting (a chat request nobody has taken yet) / left */
export const statusOf = (v: VisitorRow): 'browsing' | 'chatting' | 'waitingStatus' | 'left' =>
  (v.leftAt !== null ? 'left' : v.status === 'chatting' ? (v.agentId === null ? 'waitingStatus' : 'chatting') : 'browsing');
const STATUS_TAG = { browsing: 'info', chatting: 'success', waitingStatus: 'warning', left: 'info' } as const;
const STATUS_RANK = { waitingStatus: 0, chatting: 1, browsing: 2, left: 3 } as const;
const span = (text: string, test?: string) => h('span', test ? { 'data-test': test } : {}, text);

export const COLUMNS: Record<ColumnKey, VisitorColumn> = {
  status: {
    key: 'status', label: 'visitors.status', width: 80,
    sortValue: (v) => STATUS_RANK[statusOf(v)],
    cell: (v, c) => {
      const s = statusOf(v);
      return h('span', { class: `el-tag el-tag--small el-tag--${STATUS_TAG[s]} el-tag--light`, 'data-test': 'visitor-status' }, c.t(`visitors.${s}`));
    },
  },
  visitorId: {
    key: 'visitorId', label: 'visitors.id', width: 170,
    sortValue: (v) => v.id,
    cell: (v) => span(v.id, `visitor-${v.id}`),
  },
  name: {
    key: 'name', label: 'visitors.name', width: 110,
    sortValue: (v) => v.name || null,
    cell: (v, c) => h('span', { 'data-test': 'visitor-name' }, [dash(v.name), v.member ? h('span', { class: 'member' }, c.t('visitors.member')) : null]),
  },
  channel: {
    key: 'channel', label: 'visitors.channel', width: 80,
    sortValue: (v) => channelKey(v),
    cell: (v, c) => c.t(channelKey(v)),
  },
  visits: {
    key: 'visits', label: 'visitors.visits', width: 80, align: 'right',
    sortValue: (v) => v.visitCount,
    cell: (v) => span(String(v.visitCount), 'visitor-visits'),
  },
  ip: {
    key: 'ip', label: 'visitors.ip', width: 120,
    // numeric for IPv4 so 9.x sorts before 10.x
    sortValue: (v) => (/^\d+\.\d+\.\d+\.\d+$/.test(v.ip) ? v.ip.split('.').reduce((n, p) => n * 256 + Number(p), 0) : v.ip),
    cell: (v) => span(v.ip, 'visitor-ip'),
  },
  region: {
    key: 'region', label: 'visitors.region', width: 130,
    sortValue: (v) => v.region || null,
    cell: (v) => span(dash(v.region), 'visitor-region'),
  },
  source: {
    key: 'source', label: 'visitors.source', width: 150,
    sortValue: (v) => (v.engine ? `${v.engine} ${v.keyword}` : null),
    cell: (v, c) => span(sourceText(v, c.t('visitors.direct')), 'visitor-source'),
  },
  enteredAt: {
    key: 'enteredAt', label: 'visitors.enteredAt', width: 90,
    sortValue: (v) => v.enteredAt,
    cell: (v, c) => formatClock(v.enteredAt, c.now),
  },
  waiting: {
    key: 'waiting', label: 'visitors.waiting', width: 80,
    // longest wait first when ascending by "since"
    sortValue: (v, c) => c.waitingSince(v.id),
    cell: (v, c) => {
      const since = c.waitingSince(v.id);
      return since === null ? '—' : formatDuration(c.now - since);
    },
  },
  lastMessage: {
    key: 'lastMessage', label: 'visitors.lastMessage', width: 90,
    sortValue: (v, c) => c.lastMessageAt(v.id),
    cell: (v, c) => {
      const at = c.lastMessageAt(v.id);
      return at === null ? '—' : formatClock(at, c.now);
    },
  },
  leftAt: {
    key: 'leftAt', label: 'visitors.leftAt', width: 80,
    sortValue: (v) => v.leftAt,
    cell: (v, c) => span(v.leftAt === null ? '—' : formatClock(v.leftAt, c.now), 'visitor-left-at'),
  },
  agent: {
    key: 'agent', label: 'visitors.agent', width: 100,
    sortValue: (v) => v.agentId,
    cell: (v) => dash(v.agentId),
  },
  page: {
    key: 'page', label: 'visitors.page', width: 280,
    sortValue: (v) => v.page.title || v.page.url,
    cell: (v) => h('span', { title: v.page.url }, [span(v.page.title || v.page.url, 'visitor-page'), h('span', { class: 'muted url' }, ` ${v.page.url}`)]),
  },
  language: {
    key: 'language', label: 'visitors.language', width: 70,
    sortValue: (v) => v.language || null,
    cell: (v) => dash(v.language),
  },
  client: {
    key: 'client', label: 'visitors.client', width: 140,
    sortValue: (v) => clientText(v),
    cell: (v) => clientText(v),
  },
};

/** The agent's stored list → the columns to show, in order (unknown keys dropped; empty = all). */
export function chosenColumns(stored: readonly string[]): ColumnKey[] {
  const known = stored.filter((k): k is ColumnKey => (COLUMN_KEYS as readonly string[]).includes(k));
  return known.length ? [...new Set(known)] : [...COLUMN_KEYS];
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Comparator for a column; nulls last whichever the direction. */
export function compareBy(col: VisitorColumn, ctx: CellContext, desc: boolean): (a: VisitorRow, b: VisitorRow) => number {
  return (a, b) => {
    const x = col.sortValue(a, ctx);
    const y = col.sortValue(b, ctx);
    if (x === y) return b.enteredAt - a.enteredAt;
    if (x === null) return 1;
    if (y === null) return -1;
    const r = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return desc ? -r : r;
  };
}
