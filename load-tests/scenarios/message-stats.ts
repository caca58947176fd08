// What every message transport reports: payload ids carry phase, index and due
// time ("<phase>-<k>-<dueNs>"), so any receiver can time a message and check order
// without shared state.
import { newHistogram, recordNs, encode, type Histogram } from '../lib/hdr.js';
import { nowNs } from '../lib/clock.js';

export interface PhaseReport {
  sent: number;
  delivered: number;
  acked: number;
  errors: number;
  /** a sender's messages arrived out of send order */
  orderViolations: number;
  /** a socket saw a seq gap in a conversation (a lost message) */
  gaps: number;
  duplicates: number;
  maxLagMs: number;
  delivery: string;
  ack: string;
  firstError?: string;
}

export const payloadId = (phase: number, k: number, dueNs: number) => `${phase}-${k}-${Math.round(dueNs)}`;

export function parsePayload(id: string): { phase: number; k: number; dueNs: number } | null {
  const m = /^(\d+)-(\d+)-(\d+)/.exec(id);
  return m ? { phase: Number(m[1]), k: Number(m[2]), dueNs: Number(m[3]) } : null;
}

export class PhaseStats {
  sent = 0;
  delivered = 0;
  acked = 0;
  errors = 0;
  orderViolations = 0;
  gaps = 0;
  duplicates = 0;
  firstError: string | undefined;
  private readonly delivery: Histogram = newHistogram();
  private readonly ackH: Histogram = newHistogram();
  /** last k seen per (receiver, sender stream) */
  private readonly lastK = new Map<string, number>();

  constructor(readonly phase: number) {}

  /** stream: receiver + conversation + sending side; k must grow within a stream. */
  onDelivered(id: string, stream: string): void {
    const p = parsePayload(id);
    if (!p || p.phase !== this.phase) return;
    recordNs(this.delivery, nowNs() - p.dueNs);
    this.delivered++;
    const last = this.lastK.get(stream);
    if (last !== undefined && p.k <= last) this.orderViolations++;
    this.lastK.set(stream, p.k);
  }

  onAcked(id: string): void {
    const p = parsePayload(id);
    if (!p || p.phase !== this.phase) return;
    recordNs(this.ackH, nowNs() - p.dueNs);
    this.acked++;
  }

  onError(message: string): void {
    this.errors++;
    this.firstError ??= message;
  }

  report(maxLagMs: number): PhaseReport {
    const r: PhaseReport = {
      sent: this.sent, delivered: this.delivered, acked: this.acked, errors: this.errors,
      orderViolations: this.orderViolations, gaps: this.gaps, duplicates: this.duplicates, maxLagMs,
      delivery: encode(this.delivery), ack: encode(this.ackH),
    };
    if (this.firstError) r.firstError = this.firstError;
    this.delivery.destroy();
    this.ackH.destroy();
    return r;
  }
}

/** Per (socket, conversation) seq tracker: gapless and increasing, duplicates dropped. */
export class SeqTracker {
  private readonly last = new Map<string, number>();
  /** true when the frame is new (not a duplicate). */
  see(key: string, seq: number, stats: PhaseStats | null): boolean {
    const last = this.last.get(key);
    if (last !== undefined && seq <= last) { if (stats) stats.duplicates++; return false; }
    if (last !== undefined && seq !== last + 1 && stats) stats.gaps++;
    this.last.set(key, seq);
    return true;
  }
}
