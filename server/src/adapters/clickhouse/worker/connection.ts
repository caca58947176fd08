// Main-thread side of the chDB worker: a clickhouse-js Connection whose every
// call is a message to the worker, so `createClient({ connection })` gives the
// usual ClickHouseClient (query → ResultSet with json()/text()/stream(), insert,
// exec, command, ping, close) and callers do not change. Only the client's
// formatting/parsing (JSON.parse of a result, JSON.stringify of insert rows)
// stays on this thread; chDB itself never runs here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { fromWireError, transferList, type Op, type Reply, type Request, type WireParams, type WireResult } from './protocol.js';
import type { ChdbWorkerData } from './chdb-worker.js';

export interface ChdbWorkerOptions {
  dataDir: string;
  /** Per request, from send to reply (queue wait included). Default 120 s: reports take seconds. */
  timeoutMs?: number;
  /** How long close() waits for requests already sent. Default 30 s. */
  closeTimeoutMs?: number;
  /** The worker entry; tests and builds may point elsewhere. */
  entry?: URL;
}

interface Pending {
  resolve(r: WireResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

type AnyParams = WireParams & { abort_signal?: AbortSignal; values?: unknown };

export class ChdbWorkerConnection {
  readonly connectionName = 'chdb-worker';
  readonly #worker: Worker;
  readonly #timeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Set once close() starts or the worker dies; every later call rejects with it. */
  #down: Error | undefined;
  /** Set when the worker is gone; nothing more can be sent. */
  #dead: Error | undefined;
  #closing: Promise<void> | undefined;
  /** Calls accepted before close() that are still reading their insert body. */
  readonly #preparing = new Set<Promise<unknown>>();

  private constructor(worker: Worker, o: ChdbWorkerOptions) {
    this.#worker = worker;
    this.#timeoutMs = o.timeoutMs ?? 120_000;
    this.#closeTimeoutMs = o.closeTimeoutMs ?? 30_000;
    worker.on('message', (m: Reply) => this.#onReply(m));
    worker.on('error', (err) => this.#die(new Error(`chDB worker crashed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.#die(new Error(`chDB worker exited (code ${code})`)));
    // Idle, the worker must not keep the process alive; #call refs it while a request is out.
    worker.unref();
  }

  /** Starts the worker and resolves once chDB has opened `dataDir` (or rejects with why it could not). */
  static async start(o: ChdbWorkerOptions): Promise<ChdbWorkerConnection> {
    const workerData: ChdbWorkerData = { dataDir: o.dataDir };
    const entry = o.entry ?? defaultEntry();
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(tsBootstrap(entry), { eval: true, workerData })
      : new Worker(entry, { workerData });
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: Reply) => {
        if (!('kind' in m)) return;
        worker.off('exit', onExit);
        worker.off('message', onMsg);
        worker.off('error', onError);
        if (m.kind === 'ready') resolve();
        else {
          worker.on('error', () => {}); // already reported through `failed`
          void worker.terminate();
          reject(fromWireError(m.error));
        }
      };
      const onError = (err: Error) => reject(err);
      const onExit = (code: number) => reject(new Error(`chDB worker exited during start (code ${code})`));
      worker.on('message', onMsg);
      worker.on('error', onError);
      worker.once('exit', onExit);
    });
    return new ChdbWorkerConnection(worker, o);
  }

  /** False once close() has started or the worker has died. */
  get usable(): boolean {
    return this.#down === undefined;
  }

  get pendingRequests(): number {
    return this.#pending.size;
  }

  async query(p: AnyParams) {
    const r = await this.#call('query', p);
    return { query_id: r.query_id!, stream: bodyStream(r.body), response_headers: {}, http_status_code: 200 };
  }

  async exec(p: AnyParams) {
    const r = await this.#call('exec', p);
    return {
      query_id: r.query_id!, stream: bodyStream(r.body), summary: r.summary, response_headers: {}, http_status_code: 200,
    };
  }

  async command(p: AnyParams) {
    const r = await this.#call('command', p);
    return { query_id: r.query_id!, summary: r.summary, response_headers: {}, http_status_code: 200 };
  }

  async insert(p: AnyParams) {
    const r = await this.#call('insert', p);
    return { query_id: r.query_id!, summary: r.summary, response_headers: {}, http_status_code: 200 };
  }

  async ping(_p?: unknown): Promise<{ success: true } | { success: false; error: Error }> {
    try {
      const r = await this.#call('ping', {});
      return r.success ? { success: true } : { success: false, error: fromWireError(r.error!) };
    } catch (err) {
      return { success: false, error: err as Error };
    }
  }

  /** Lets requests already sent finish (bounded), closes the chDB session, ends the worker. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    if (this.#dead) return; // nothing left to flush
    this.#down = new Error('ClickHouse (chDB worker) client is closed');
    // Calls made before close() are answered: those still reading a body get posted first,
    // and the worker serves in arrival order, so close queues behind every one of them.
    await Promise.allSettled(this.#preparing);
    const id = this.#nextId++;
    const done = new Promise<WireResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('chDB worker did not close in time')), this.#closeTimeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
    });
    this.#worker.ref();
    this.#worker.postMessage({ kind: 'close', id } satisfies Request);
    try {
      await done;
    } finally {
      this.#pending.delete(id);
      await this.#worker.terminate();
      this.#fail(this.#down);
    }
  }

  async #call(op: Op, p: AnyParams): Promise<WireResult> {
    this.#assertUp();
    const signal = p.abort_signal;
    signal?.throwIfAborted();
    let params: WireParams;
    if (isStream(p.values)) {
      const prep = wire({ ...p, values: p.values });
      this.#preparing.add(prep);
      try {
        params = await prep;
      } finally {
        this.#preparing.delete(prep);
      }
      // Accepted before any close(), so only a dead worker or the caller stops it now.
      if (this.#dead) throw new Error(this.#dead.message, { cause: this.#dead });
      signal?.throwIfAborted();
    } else {
      params = wireSync(p);
    }
    const id = this.#nextId++;
    return new Promise<WireResult>((resolve, reject) => {
      const give_up = (err: Error) => {
        if (!this.#pending.delete(id)) return;
        clearTimeout(entry.timer);
        signal?.removeEventListener('abort', onAbort);
        this.#idle();
        this.#worker.postMessage({ kind: 'cancel', id } satisfies Request);
        reject(err);
      };
      const onAbort = () => give_up(signal!.reason instanceof Error ? signal!.reason : new Error('The request was aborted'));
      const entry: Pending = {
        resolve: (r) => { signal?.removeEventListener('abort', onAbort); resolve(r); },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
        timer: setTimeout(() => give_up(new Error(`chDB worker: ${op} timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs),
      };
      entry.timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, entry);
      this.#worker.ref();
      try {
        this.#worker.postMessage({ kind: 'call', id, op, params } satisfies Request, transferList(params.values));
      } catch (err) {
        // Not cloneable (a function or symbol in query_params, say).
        this.#pending.delete(id);
        clearTimeout(entry.timer);
        this.#idle();
        entry.reject(err as Error);
      }
    });
  }

  #assertUp(): void {
    // A fresh error, so the stack is the caller's.
    if (this.#down) throw new Error(this.#down.message, { cause: this.#down });
  }

  #onReply(m: Reply): void {
    if ('kind' in m) return;
    const p = this.#pending.get(m.id);
    if (!p) return; // timed out or aborted meanwhile
    this.#pending.delete(m.id);
    clearTimeout(p.timer);
    this.#idle();
    if (m.ok) p.resolve(m.result);
    else p.reject(fromWireError(m.error));
  }

  #idle(): void {
    if (this.#pending.size === 0 && !this.#closing) this.#worker.unref();
  }

  #die(err: Error): void {
    this.#dead ??= err;
    this.#down ??= err;
    this.#fail(err);
  }

  #fail(err: Error): void {
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new Error(err.message, { cause: err }));
    }
  }
}

/** The entry next to this module: .ts when running from source (tsx, vitest), .js when built. */
function defaultEntry(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './chdb-worker.ts' : './chdb-worker.js', import.meta.url);
}

/**
 * A worker does not inherit the parent's loader hooks, and on Node 20 a worker's
 * own `--import tsx` is not applied to its entry module; so a small CommonJS
 * bootstrap registers tsx's hooks itself, then imports the .ts entry.
 */
function tsBootstrap(entry: URL): string {
  // The ESM build of tsx's API (its CommonJS build cannot register from a worker);
  // require.resolve would pick the CommonJS one, so read the export map.
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
}

/** The cloneable request: no AbortSignal, and a string body as it is. */
function wireSync(p: AnyParams): WireParams {
  const out: WireParams = { query: p.query };
  if (p.query_params && Object.keys(p.query_params).length > 0) out.query_params = p.query_params;
  if (p.clickhouse_settings) out.clickhouse_settings = p.clickhouse_settings;
  if (p.query_id !== undefined) out.query_id = p.query_id;
  if (p.session_id !== undefined) out.session_id = p.session_id;
  if (typeof p.values === 'string') out.values = p.values;
  return out;
}

/** As wireSync, with a streamed body (insert rows, exec NDJSON) read into one buffer. */
async function wire(p: AnyParams & { values: AsyncIterable<unknown> }): Promise<WireParams> {
  return { ...wireSync(p), values: await readAll(p.values) };
}

function isStream(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

async function readAll(values: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of values) {
    if (typeof c === 'string') chunks.push(Buffer.from(c));
    else if (c instanceof Uint8Array) chunks.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    else throw new Error(`unsupported insert chunk type: ${typeof c}`);
  }
  // Buffer.concat of a large total allocates its own ArrayBuffer, so it transfers; small ones copy.
  return chunks.length === 1 && transferList(chunks[0]).length ? chunks[0]! : Buffer.concat(chunks);
}

/** A one-shot stream over the reply body, shaped like chDB's own. */
function bodyStream(body: Uint8Array | undefined): Readable {
  const b = body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.alloc(0);
  const r = new Readable({
    read() {
      if (b.length > 0) this.push(b);
      this.push(null);
    },
  });
  // ResultSet.close() destroys an unread stream with an error; nothing else can fail here.
  r.on('error', () => {});
  return r;
}
