// B5: one WebSocket to /ws/visitor that comes back by itself. Reconnects use
// exponential backoff; a ping every `pingMs` with a deadline detects a dead link
// that never saw a close. Auth/ban close codes stop retrying. DOM-free: the socket
// constructor and the timers are injected, so unit tests drive it directly.
import { CloseCode } from '../../../protocol/codes.js';
import type { VisitorIn, VisitorOut } from '../../../protocol/visitor-frames.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { realTimers, type Timers } from './throttle.js';

/** The part of the browser WebSocket we use. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

/** connecting: first attempt · open · reconnecting: had trouble, retrying · stopped: gave up for good */
export type ConnState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface ConnectionOptions {
  url: string;
  factory: SocketFactory;
  onOpen(): void;
  onFrame(frame: VisitorOut): void;
  onState(state: ConnState, failures: number): void;
  timers?: Timers;
  backoff?: BackoffOptions;
  rand?: () => number;
  pingMs?: number;
  pongTimeoutMs?: number;
}

const OPEN = 1;
const FATAL: readonly number[] = [CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.Blocked, CloseCode.Replaced];

export class Connection {
  private socket: SocketLike | null = null;
  private failures = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private deadline: unknown = null;
  private stopped = false;
  private everOpened = false;
  private readonly timers: Timers;

  constructor(private readonly opts: ConnectionOptions) {
    this.timers = opts.timers ?? realTimers;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Send a frame now; false when the socket is not open (the caller keeps it for later). */
  send(frame: VisitorIn): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    try {
      s.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Retry at once (the browser came back online, or the visitor opened the window). */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    this.clear('retry');
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clear('retry');
    this.clear('ping');
    this.clear('deadline');
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onclose = s.onmessage = s.onerror = s.onopen = null;
      try { s.close(CloseCode.Normal); } catch { /* already closed */ }
    }
    this.opts.onState('stopped', this.failures);
  }

  private connect(): void {
    this.opts.onState(this.everOpened || this.failures > 0 ? 'reconnecting' : 'connecting', this.failures);
    let s: SocketLike;
    try {
      s = this.opts.factory(this.opts.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = s;
    s.onopen = () => {
      this.failures = 0;
      this.everOpened = true;
      this.opts.onState('open', 0);
      this.schedulePing();
      this.opts.onOpen();
    };
    s.onmessage = (ev) => {
      this.clear('deadline');
      if (typeof ev.data !== 'string') return;
      let frame: VisitorOut;
      try {
        frame = JSON.parse(ev.data) as VisitorOut;
      } catch {
        return;
      }
      if (frame && typeof frame === 'object' && typeof frame.type === 'string') this.opts.onFrame(frame);
    };
    s.onerror = () => { /* a close event always follows */ };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.socket = null;
      this.clear('ping');
      this.clear('deadline');
      if (FATAL.indexOf(ev.code) >= 0) {
        this.stopped = true;
        this.opts.onState('stopped', this.failures);
        return;
      }
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.failures, this.opts.backoff ?? DEFAULT_BACKOFF, this.opts.rand);
    this.failures++;
    this.opts.onState('reconnecting', this.failures);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private schedulePing(): void {
    const every = this.opts.pingMs ?? 25_000;
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = null;
      if (!this.send({ v: 1, type: 'ping' })) return;
      // No frame at all before the deadline: the link is dead even if no close came.
      this.deadline = this.timers.setTimeout(() => {
        this.deadline = null;
        const s = this.socket;
        if (s && s.onclose) {
          try { s.close(CloseCode.Normal, 'pong timeout'); } catch { /* ignore */ }
          s.onclose({ code: 1006 });
        }
      }, this.opts.pongTimeoutMs ?? 10_000);
      this.schedulePing();
    }, every);
  }

  private clear(which: 'retry' | 'ping' | 'deadline'): void {
    const key = which === 'retry' ? 'retryTimer' : which === 'ping' ? 'pingTimer' : 'deadline';
    const h = this[key];
    if (h !== null) this.timers.clearTimeout(h);
    this[key] = null;
  }
}
