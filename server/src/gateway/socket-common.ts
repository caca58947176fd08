// Pieces shared by the visitor and agent sockets.
import { CompressOptions, DISABLED } from 'uWebSockets.js';
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
  compression: DISABLED as CompressOptions,
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
