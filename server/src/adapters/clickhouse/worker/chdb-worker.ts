// Worker-thread entry: owns the process's only chDB session, so chDB's
// synchronous work (parsing, result copies, merges it triggers) never runs on
// the chat thread. Requests are served strictly one at a time, in arrival
// order: a chDB session is single-threaded, and order keeps an insert followed
// by a read consistent, as it was in-thread.
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { owned, toWireError, type Op, type Reply, type Request, type WireParams, type WireResult } from './protocol.js';

// Typed structurally: the worker only needs the Connection methods.
interface ChdbConnection {
  query(p: object): Promise<{ query_id: string; stream: AsyncIterable<Buffer> }>;
  exec(p: object): Promise<{ query_id: string; stream: AsyncIterable<Buffer>; summary?: Record<string, string> }>;
  command(p: object): Promise<{ query_id: string; summary?: Record<string, string> }>;
  insert(p: object): Promise<{ query_id: string; summary?: Record<string, string> }>;
  ping(p: object): Promise<{ success: true } | { success: false; error: Error }>;
  close(): Promise<void>;
}

export interface ChdbWorkerData {
  dataDir: string;
}

const port = parentPort;
if (!port) throw new Error('chdb-worker.ts must run in a worker thread');
const { dataDir } = workerData as ChdbWorkerData;
const require = createRequire(import.meta.url);

// glibc RTLD_NODELETE (Node does not export it in os.constants.dlopen).
const RTLD_NOW = 2;
const RTLD_NODELETE = 0x1000;

/**
 * Loads chDB's native addon so it is never unloaded. Node dlclose()s a
 * worker's addons when the worker exits, unmapping libchdb while its
 * thread-local destructors are still registered: the process segfaults as the
 * worker thread ends. Pinned, the library outlives the worker. The addon lands
 * in require's cache, so chDB's own loader picks up this very instance.
 */
function pinNativeAddon(): void {
  const pkg = `@chdb/lib-${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : ''}`;
  let file: string;
  try {
    file = createRequire(require.resolve('chdb')).resolve(`${pkg}/chdb_node.node`);
  } catch {
    return; // locally built addon or unknown platform: chDB's loader decides
  }
  if (require.cache[file]) return;
  const m = new Module(file);
  m.filename = file;
  m.paths = [path.dirname(file)];
  process.dlopen(m, file, RTLD_NOW | RTLD_NODELETE);
  m.loaded = true;
  require.cache[file] = m;
}

let conn: ChdbConnection;
try {
  pinNativeAddon();
  const { createChdbConnection } = require('chdb/connection') as { createChdbConnection(o: { path: string }): ChdbConnection };
  conn = createChdbConnection({ path: dataDir });
  post({ kind: 'ready' });
} catch (err) {
  // Reported, not thrown: the main side rejects start() with it and ends the worker.
  post({ kind: 'failed', error: toWireError(err) });
  port.close();
}

/** Requests waiting or running; a cancel aborts the controller. */
const live = new Map<number, AbortController>();
let chain: Promise<void> = Promise.resolve();

port.on('message', (msg: Request) => {
  if (msg.kind === 'cancel') {
    live.get(msg.id)?.abort(new Error('cancelled by the caller'));
    return;
  }
  if (msg.kind === 'close') {
    // Queued behind every request sent before it; the main side sends nothing after.
    chain = chain.then(async () => {
      try {
        await conn.close();
        post({ id: msg.id, ok: true, result: {} });
      } catch (err) {
        post({ id: msg.id, ok: false, error: toWireError(err) });
      }
      port.close();
    });
    return;
  }
  const ac = new AbortController();
  live.set(msg.id, ac);
  chain = chain.then(async () => {
    try {
      if (ac.signal.aborted) return; // the caller has already been answered
      const result = await run(msg.op, msg.params, ac.signal);
      if (!ac.signal.aborted) post({ id: msg.id, ok: true, result }, transfer(result.body));
    } catch (err) {
      if (!ac.signal.aborted) post({ id: msg.id, ok: false, error: toWireError(err) });
    } finally {
      live.delete(msg.id);
    }
  });
});

async function run(op: Op, p: WireParams, signal: AbortSignal): Promise<WireResult> {
  const params = { ...p, values: decode(p.values), abort_signal: signal };
  switch (op) {
    case 'query': {
      const r = await conn.query(params);
      return { query_id: r.query_id, body: await drain(r.stream) };
    }
    case 'exec': {
      const r = await conn.exec(params);
      return { query_id: r.query_id, body: await drain(r.stream), summary: r.summary };
    }
    case 'command': {
      const r = await conn.command(params);
      return { query_id: r.query_id, summary: r.summary };
    }
    case 'insert': {
      const r = await conn.insert({ ...params, values: params.values ?? '' });
      return { query_id: r.query_id, summary: r.summary };
    }
    case 'ping': {
      const r = await conn.ping({ select: true });
      return r.success ? { success: true } : { success: false, error: toWireError(r.error) };
    }
    default:
      throw new Error(`unknown chDB worker operation ${op}`);
  }
}

function decode(v: Uint8Array | string | undefined): string | undefined {
  if (v === undefined || typeof v === 'string') return v;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
}

/** chDB hands back one materialised chunk; join defensively, never copy twice. */
async function drain(stream: AsyncIterable<Buffer>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return owned(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
}

function transfer(body: Uint8Array | undefined): ArrayBuffer[] {
  return body && body.byteLength > 0 ? [body.buffer as ArrayBuffer] : [];
}

function post(reply: Reply, list: ArrayBuffer[] = []): void {
  try {
    port!.postMessage(reply, list);
  } catch (err) {
    // A buffer chDB allocated natively may refuse to detach: send a copy instead.
    if (list.length === 0) throw err;
    port!.postMessage(reply);
  }
}
