// Messages between the main thread and the chDB worker. Everything crosses by
// structured clone; bodies (insert values, result bytes) travel as Uint8Array
// and are transferred, not copied, when they own their whole ArrayBuffer.
import { ClickHouseError } from '@clickhouse/client';

export type Op = 'query' | 'exec' | 'command' | 'insert' | 'ping';

/** The cloneable part of a clickhouse-js Connection request. */
export interface WireParams {
  query?: string;
  query_params?: Record<string, unknown>;
  clickhouse_settings?: Record<string, unknown>;
  query_id?: string;
  session_id?: string;
  /** insert/exec body, UTF-8 */
  values?: Uint8Array | string;
}

export type Request =
  | { kind: 'call'; id: number; op: Op; params: WireParams }
  /** The caller gave up (timeout, abort): skip it if queued, abort it if running. */
  | { kind: 'cancel'; id: number }
  | { kind: 'close'; id: number };

export interface WireResult {
  query_id?: string;
  /** query/exec response body */
  body?: Uint8Array;
  summary?: Record<string, string>;
  success?: boolean;
  error?: WireError;
}

export type Reply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: WireError }
  | { id: number; ok: true; result: WireResult }
  | { id: number; ok: false; error: WireError };

export interface WireError {
  name: string;
  message: string;
  code?: string;
  type?: string;
  stack?: string;
}

export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { code, type } = err as { code?: unknown; type?: unknown };
  return {
    name: err.name,
    message: err.message,
    stack: err.stack,
    ...(code !== undefined ? { code: String(code) } : {}),
    ...(typeof type === 'string' ? { type } : {}),
  };
}

/**
 * Rebuilds the error on this side of the port. ClickHouse errors (numeric code)
 * come back as ClickHouseError so code-based checks (insert.ts) keep working.
 */
export function fromWireError(w: WireError): Error {
  let err: Error;
  if (w.code !== undefined && /^\d+$/.test(w.code)) {
    err = new ClickHouseError({ message: w.message, code: w.code, type: w.type });
  } else {
    err = new Error(w.message);
    err.name = w.name;
    if (w.code !== undefined) (err as Error & { code?: string }).code = w.code;
  }
  // The worker's stack says where chDB failed; the caller's own frames follow.
  if (w.stack) err.stack = `${w.stack}\n    --- via chDB worker ---\n${new Error().stack?.split('\n').slice(2).join('\n') ?? ''}`;
  return err;
}

/** The array to transfer with a body: only a buffer the view owns outright (never Node's shared pool). */
export function transferList(u8: Uint8Array | string | undefined): ArrayBuffer[] {
  if (!(u8 instanceof Uint8Array)) return [];
  const ab = u8.buffer;
  return ab instanceof ArrayBuffer && u8.byteOffset === 0 && u8.byteLength === ab.byteLength ? [ab] : [];
}

/** A view that owns its ArrayBuffer, copying only when `buf` is a slice of something larger. */
export function owned(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) return buf;
  return new Uint8Array(buf);
}
