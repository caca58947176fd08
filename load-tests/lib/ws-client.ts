// A lean WebSocket client for load: no frame log (memory stays flat over long
// runs), one handler for every frame plus one-shot waiters for setup steps.
import WebSocket from 'ws';

export type Frame = { type: string } & Record<string, any>;

export interface OpenOptions {
  headers?: Record<string, string>;
  /** source address, e.g. 127.0.0.7, to spread sockets over loopback addresses */
  localAddress?: string;
  timeoutMs?: number;
}

export class JsonSocket {
  onFrame: (f: Frame) => void = () => {};
  private waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void }> = [];
  closed = false;
  private lastError: string | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      if (this.waiters.length) this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true));
      // Kept so a setup step that times out can say what the server refused.
      if (f.type === 'error') this.lastError = `${f.code}: ${f.message}`;
      this.onFrame(f);
    });
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.failWaiters(`socket closed (${code} ${String(reason)})`);
    });
    ws.on('error', () => { /* 'close' follows; callers see .closed */ });
  }

  static open(url: string, opts: OpenOptions = {}): Promise<JsonSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: opts.headers ?? {},
        perMessageDeflate: false,
        handshakeTimeout: opts.timeoutMs ?? 10_000,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      });
      ws.once('open', () => resolve(new JsonSocket(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  private failWaiters(why: string): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error(why));
  }

  send(frame: Record<string, unknown>): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ v: 1, ...frame }));
  }

  /** The next frame matching pred (frames already handled are not searched). */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 10_000, what = 'frame'): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out waiting for ${what}${this.lastError ? ` (last error frame ${this.lastError})` : ''}`));
      }, timeoutMs);
      const done = (f: Frame) => { clearTimeout(timer); resolve(f); };
      const fail = (e: Error) => { clearTimeout(timer); reject(new Error(`${e.message} while waiting for ${what}`)); };
      if (this.closed) { fail(new Error('socket closed')); return; }
      this.waiters.push({ pred, resolve: done, reject: fail });
    });
  }

  close(): Promise<void> {
    if (this.closed || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.ws.terminate(); resolve(); }, 2000);
      this.ws.once('close', () => { clearTimeout(t); resolve(); });
      this.ws.close();
    });
  }
}

/** Runs fn over items with at most `limit` in flight (connection ramps). */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  }));
  return out;
}

/** Source address for the i-th socket: 127.0.0.2 … 127.0.0.254, round robin. */
export const loopbackSource = (i: number): string => `127.0.0.${2 + (i % 253)}`;
