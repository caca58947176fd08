// AnalyticsSink over ClickHouse. record() only serialises a row into a per-table
// buffer; batches leave by size or time on a per-table promise chain, so one
// insert per table is in flight and batches land in the order they were sealed.
// A batch ClickHouse does not take goes to the disk spool; while a table has a
// backlog every newer batch queues behind it, and the backlog replays oldest
// first with exponential backoff. Batch ids are dedup tokens, so a replay after
// a lost reply does not double count (see insert.ts).
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import type { AnalyticsEvent, AnalyticsSink } from '../../ports/analytics-sink.js';
import { ANALYTICS_TABLES, insertBatch, type AnalyticsTable } from './insert.js';
import { TableSpool, deadLetter } from './spool.js';

export interface ClickHouseSinkOptions {
  client: ClickHouseClient;
  spoolDir: string;
  logger: Logger;
  maxBatch?: number;
  flushMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Rows held in memory when the spool itself cannot be written; oldest dropped beyond. */
  maxMemoryRows?: number;
}

export interface SinkCounters {
  /** Rows inserted straight from the buffer. */
  insertedRows: number;
  /** Rows that went to the spool (or memory, if the disk failed) instead. */
  spooledRows: number;
  /** Spooled rows later inserted. */
  replayedRows: number;
  /** Rows not yet in ClickHouse: buffered, in flight, spooled. */
  pendingRows: number;
  /** Rows refused by record() (unknown table, not serialisable, after close) or evicted from memory. */
  droppedRows: number;
  /** Rows in batches ClickHouse rejected as malformed, kept under spoolDir/_dead. */
  deadLetteredRows: number;
}

export interface ClickHouseSink extends AnalyticsSink {
  counters(): SinkCounters;
}

interface Batch {
  id: string;
  rows: number;
  body: string;
}

interface Lane {
  table: AnalyticsTable;
  spool: TableSpool;
  lines: string[];
  chain: Promise<void>;
  /** Rows sealed into batches that have not settled yet. */
  queuedRows: number;
  /** Batches the spool could not take; always newer than every spool entry. */
  memory: Batch[];
  memoryRows: number;
  retryDelay: number;
  retryAt: number;
  timer: NodeJS.Timeout | undefined;
}

export function createClickHouseSink(opts: ClickHouseSinkOptions): ClickHouseSink {
  const { client, spoolDir } = opts;
  const log = opts.logger.child({ component: 'analytics-sink' });
  const maxBatch = opts.maxBatch ?? 5000;
  const flushMs = opts.flushMs ?? 1000;
  const retryMin = opts.retryMinMs ?? 250;
  const retryMax = opts.retryMaxMs ?? 30_000;
  const maxMemoryRows = opts.maxMemoryRows ?? 1_000_000;

  const c: SinkCounters = {
    insertedRows: 0, spooledRows: 0, replayedRows: 0, pendingRows: 0, droppedRows: 0, deadLetteredRows: 0,
  };
  let closed = false;
  let stopped = false;
  let lastOk = true;
  let lastDropLog = 0;

  const lanes = new Map<string, Lane>();
  for (const table of ANALYTICS_TABLES) {
    const lane: Lane = {
      table, spool: new TableSpool(spoolDir, table), lines: [], chain: Promise.resolve(), queuedRows: 0,
      memory: [], memoryRows: 0, retryDelay: 0, retryAt: 0, timer: undefined,
    };
    lanes.set(table, lane);
    if (lane.spool.entries.length > 0) {
      log.info({ table, batches: lane.spool.entries.length, rows: lane.spool.rows }, 'replaying spool left by a previous run');
      schedule(lane);
    }
  }
  const ticker = setInterval(() => { for (const lane of lanes.values()) seal(lane); }, flushMs);
  ticker.unref();

  function drop(reason: string, detail: Record<string, unknown>): void {
    c.droppedRows++;
    const now = Date.now();
    if (now - lastDropLog > 10_000) {
      lastDropLog = now;
      log.warn({ ...detail, dropped: c.droppedRows }, `analytics event dropped: ${reason}`);
    }
  }

  function record(ev: AnalyticsEvent): void {
    try {
      if (closed) return drop('sink closed', { table: ev.table });
      const lane = lanes.get(ev.table);
      if (!lane) return drop('unknown table', { table: String(ev.table) });
      if (typeof ev.companyId !== 'string' || ev.companyId === '') return drop('no company', { table: ev.table });
      // Serialising now also freezes the row against later mutation by the caller.
      // company_id last: the session's company wins over anything in the row.
      lane.lines.push(JSON.stringify({ ...ev.row, company_id: ev.companyId }));
      if (lane.lines.length >= maxBatch) seal(lane);
    } catch (err) {
      drop('not serialisable', { table: String(ev?.table), err });
    }
  }

  function seal(lane: Lane): void {
    if (lane.lines.length === 0) return;
    const batch: Batch = { id: newBatchId(), rows: lane.lines.length, body: lane.lines.join('\n') + '\n' };
    lane.lines = [];
    lane.queuedRows += batch.rows;
    enqueue(lane, () => deliver(lane, batch));
  }

  function enqueue(lane: Lane, step: () => Promise<void>): void {
    lane.chain = lane.chain.then(step).catch((err: unknown) => {
      log.error({ err, table: lane.table }, 'analytics lane step failed');
    });
  }

  const backlog = (lane: Lane) => lane.spool.entries.length > 0 || lane.memory.length > 0;

  async function deliver(lane: Lane, batch: Batch): Promise<void> {
    try {
      if (backlog(lane) && Date.now() >= lane.retryAt) await drain(lane);
      if (!backlog(lane)) {
        const r = await insertBatch(client, lane.table, batch.id, batch.body);
        if (r.ok) {
          c.insertedRows += batch.rows;
          succeeded(lane);
          return;
        }
        if (!r.retry) return await bury(lane, batch, r.error);
        failed(lane, r.error);
      }
      await park(lane, batch);
    } finally {
      lane.queuedRows -= batch.rows;
    }
  }

  async function park(lane: Lane, batch: Batch): Promise<void> {
    c.spooledRows += batch.rows;
    if (lane.memory.length === 0) {
      try {
        await lane.spool.append(batch.id, batch.rows, batch.body);
        schedule(lane);
        return;
      } catch (err) {
        log.error({ err, table: lane.table }, 'spool write failed; holding the batch in memory');
      }
    }
    lane.memory.push(batch);
    lane.memoryRows += batch.rows;
    while (lane.memoryRows > maxMemoryRows && lane.memory.length > 1) {
      const evicted = lane.memory.shift()!;
      lane.memoryRows -= evicted.rows;
      c.droppedRows += evicted.rows;
      log.error({ table: lane.table, rows: evicted.rows }, 'analytics batch evicted: ClickHouse and spool both unavailable');
    }
    schedule(lane);
  }

  /** Replays the backlog oldest first; true when it is empty. */
  async function drain(lane: Lane): Promise<boolean> {
    while (lane.spool.entries.length > 0) {
      const entry = lane.spool.entries[0]!;
      let body: string;
      try {
        body = await lane.spool.read(entry);
      } catch (err) {
        failed(lane, err instanceof Error ? err : new Error(String(err)));
        return false;
      }
      const r = await insertBatch(client, lane.table, entry.id, body);
      if (!r.ok && r.retry) {
        failed(lane, r.error);
        return false;
      }
      if (r.ok) c.replayedRows += entry.rows;
      else await bury(lane, { id: entry.id, rows: entry.rows, body }, r.error);
      // If this unlink fails the batch replays again later and its token dedups it.
      await lane.spool.shift(entry);
    }
    while (lane.memory.length > 0) {
      const batch = lane.memory[0]!;
      const r = await insertBatch(client, lane.table, batch.id, batch.body);
      if (!r.ok && r.retry) {
        failed(lane, r.error);
        return false;
      }
      if (r.ok) c.replayedRows += batch.rows;
      else await bury(lane, batch, r.error);
      lane.memory.shift();
      lane.memoryRows -= batch.rows;
    }
    succeeded(lane);
    return true;
  }

  async function bury(lane: Lane, batch: Batch, error: Error): Promise<void> {
    c.deadLetteredRows += batch.rows;
    let file: string | undefined;
    try {
      file = await deadLetter(spoolDir, lane.table, batch.id, batch.body);
    } catch (err) {
      log.error({ err, table: lane.table }, 'could not write dead-letter file');
    }
    log.error({ err: error, table: lane.table, rows: batch.rows, file }, 'ClickHouse rejected a malformed analytics batch');
  }

  function succeeded(lane: Lane): void {
    if (lane.retryDelay > 0) log.info({ table: lane.table }, 'ClickHouse reachable again; analytics backlog replayed');
    lane.retryDelay = 0;
    lane.retryAt = 0;
    lastOk = true;
  }

  function failed(lane: Lane, error: Error): void {
    if (lane.retryDelay === 0) log.warn({ err: error, table: lane.table }, 'ClickHouse insert failed; spooling analytics to disk');
    lane.retryDelay = lane.retryDelay === 0 ? retryMin : Math.min(lane.retryDelay * 2, retryMax);
    // Jitter keeps five tables from retrying in lockstep.
    lane.retryAt = Date.now() + lane.retryDelay * (0.75 + Math.random() * 0.5);
    lastOk = false;
  }

  function schedule(lane: Lane): void {
    if (stopped || lane.timer) return;
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      enqueue(lane, async () => {
        if (!backlog(lane)) return;
        if (Date.now() < lane.retryAt || !(await drain(lane))) schedule(lane);
      });
    }, Math.max(0, lane.retryAt - Date.now()));
    lane.timer.unref();
  }

  async function flush(): Promise<void> {
    for (const lane of lanes.values()) seal(lane);
    await Promise.all([...lanes.values()].map((l) => l.chain));
  }

  return {
    record,
    flush,
    async healthy() {
      return lastOk;
    },
    counters() {
      let pending = 0;
      for (const l of lanes.values()) pending += l.lines.length + l.queuedRows + l.spool.rows + l.memoryRows;
      return { ...c, pendingRows: pending };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      await flush();
      stopped = true;
      for (const l of lanes.values()) clearTimeout(l.timer);
      // A timer that fired during flush may have queued one more replay step.
      await Promise.all([...lanes.values()].map((l) => l.chain));
      const left = [...lanes.values()].reduce((n, l) => n + l.memoryRows, 0);
      if (left > 0) log.error({ rows: left }, 'analytics rows held in memory are lost at close');
    },
  };
}

function newBatchId(): string {
  return `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
}
