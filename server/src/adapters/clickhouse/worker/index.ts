// chDB in a worker thread behind a regular ClickHouseClient (see connection.ts).
// One worker per data directory per process, shared by every client opened on
// it: chDB binds one directory per process, and two sessions on it in two
// threads stalled each other (inserts hung). In-thread chDB shared its native
// connection between sessions on a path the same way.
import path from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { ChdbWorkerConnection, type ChdbWorkerOptions } from './connection.js';

export { ChdbWorkerConnection, type ChdbWorkerOptions } from './connection.js';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;
type Params = Parameters<ChdbWorkerConnection['query']>[0];

export interface ChdbWorkerClient {
  client: ClickHouseClient;
  connection: ChdbWorkerLease;
}

const shared = new Map<string, { worker: Promise<ChdbWorkerConnection>; refs: number }>();

/** One client's hold on the shared worker: its own close(), after which its calls reject. */
export class ChdbWorkerLease {
  readonly connectionName = 'chdb-worker';
  #closed: Promise<void> | undefined;

  constructor(private readonly core: ChdbWorkerConnection, private readonly release: () => Promise<void>) {}

  get pendingRequests(): number {
    return this.core.pendingRequests;
  }

  query(p: Params) { return this.#open().query(p); }
  exec(p: Params) { return this.#open().exec(p); }
  command(p: Params) { return this.#open().command(p); }
  insert(p: Params) { return this.#open().insert(p); }

  async ping(): Promise<{ success: true } | { success: false; error: Error }> {
    if (this.#closed) return { success: false, error: closedError() };
    return this.core.ping();
  }

  close(): Promise<void> {
    this.#closed ??= this.release();
    return this.#closed;
  }

  #open(): ChdbWorkerConnection {
    if (this.#closed) throw closedError();
    return this.core;
  }
}

const closedError = () => new Error('ClickHouse (chDB worker) client is closed');

export async function openChdbWorkerClient(
  o: ChdbWorkerOptions & { log?: ClickHouseClientConfigOptions['log'] },
): Promise<ChdbWorkerClient> {
  const key = path.resolve(o.dataDir);
  let entry = shared.get(key);
  // A worker that died (or is shutting down) is not handed out again: start a fresh one.
  if (entry && (await entry.worker.then((w) => !w.usable, () => true))) {
    if (shared.get(key) === entry) shared.delete(key);
    entry = shared.get(key);
  }
  if (!entry) {
    // Checked here, not left to chDB in a second worker: that worker's teardown
    // takes the live session down with it and crashes the process at exit.
    const other = [...shared.keys()].find((k) => k !== key);
    if (other) throw new Error(`chDB binds one data directory per process: ${other} is open, cannot open ${key}`);
    const worker = ChdbWorkerConnection.start(o);
    entry = { worker, refs: 0 };
    shared.set(key, entry);
    worker.catch(() => shared.delete(key));
  }
  entry.refs++;
  let core: ChdbWorkerConnection;
  try {
    core = await entry.worker;
  } catch (err) {
    entry.refs--;
    throw err;
  }
  const e = entry;
  const lease = new ChdbWorkerLease(core, async () => {
    if (--e.refs > 0) return;
    // The last client out closes the worker (answering what was already sent first).
    if (shared.get(key) === e) shared.delete(key);
    await core.close();
  });
  // Structurally the Connection contract; the class is not declared against the
  // client-common interface only because that package is not a direct dependency.
  const client = createClient({ connection: lease as unknown as ClientConnection, log: o.log });
  return { client, connection: lease };
}
