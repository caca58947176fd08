// Analytics events leave the chat path through this port. record() never blocks
// and never throws: events are batched, and spooled to disk when ClickHouse is away.
export interface AnalyticsEvent {
  table: string;
  companyId: string;
  row: Record<string, unknown>;
}

export interface AnalyticsSink {
  record(event: AnalyticsEvent): void;
  /** Writes everything buffered; resolves when ClickHouse (or the spool) holds it. */
  flush(): Promise<void>;
  /** true when the last write reached ClickHouse */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
