// Pieces shared by the visitor and agent sockets.
import uWS from 'uWebSockets.js';
import { ErrorCode, type ErrorFrame } from '../../../protocol/index.js';
import { AppError } from '../ports/errors.js';
import { errorFrame } from './validate.js';

/**
 * Frames above MAX_FRAME_BYTES (64 KB) get a `too_large` error frame and the socket
 * stays open; only frames above this hard limit make uWS close the socket (1009).
 */
export const SOCKET_LIMITS = {
  maxPayloadLength: 1024 * 1024,
  idleTimeout: 120,
  maxBackpressure: 4 * 1024 * 1024,
  compression: uWS.DISABLED,
  sendPingsAutomatically: true,
};

/** Closes a socket that keeps sending bad frames: at most `max` per `windowMs`. */
export class ErrorBudget {
  private count = 0;
  private windowStart = Date.now();
  constructor(private readonly max = 50, private readonly windowMs = 10_000) {}
  /** Records one bad frame; true when the budget is exhausted. */
  spend(now = Date.now()): boolean {
    if (now - this.windowStart > this.windowMs) { this.windowStart = now; this.count = 0; }
    return ++this.count > this.max;
  }
}

export function errorFrameFor(err: unknown, ref?: string): ErrorFrame {
  if (err instanceof AppError) return errorFrame(err.code, err.message, ref);
  return errorFrame(ErrorCode.Internal, 'internal error', ref);
}

/** Every open socket, so shutdown can close them (this uWS build has no app.close()). */
export class SocketRegistry {
  private readonly sockets = new Set<{ end(code?: number, msg?: string): void }>();
  add(ws: { end(code?: number, msg?: string): void }): void { this.sockets.add(ws); }
  delete(ws: { end(code?: number, msg?: string): void }): void { this.sockets.delete(ws); }
  get size(): number { return this.sockets.size; }
  closeAll(code: number, reason: string): void {
    for (const ws of [...this.sockets]) {
      try { ws.end(code, reason); } catch { /* already closed */ }
    }
    this.sockets.clear();
  }
}
