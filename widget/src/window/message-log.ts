// The visitor's view of one conversation: server messages keyed by seq (so replays
// after a reconnect are dropped), plus the visitor's own messages that are still
// waiting for their ack. A pending message keeps its clientMsgId for retries, so
// the server can recognise a resend and return the first result.
import type { Attachment, ChatMessage } from '../../../protocol/schema-common.js';

export type Sender = 'visitor' | 'agent' | 'system';

export interface LogEntry {
  /** Stable key for rendering: `s<seq>` once stored, `p<clientMsgId>` while pending. */
  key: string;
  seq: number | null;
  sender: Sender;
  senderName?: string;
  text: string;
  at: number;
  clientMsgId: string | null;
  pending: boolean;
  /** The server refused this message for good; it is shown but not resent. */
  failed?: boolean;
  /** Local notes (e.g. "agent joined") sit after the message with this seq. */
  afterSeq?: number;
  /** a file or image sent with the message (E2/E3) */
  attachment?: Attachment;
}

export class MessageLog {
  private readonly bySeq = new Map<number, LogEntry>();
  private readonly pending = new Map<string, LogEntry>();
  /** local notes and refused messages, in the order they happened */
  private readonly extras: LogEntry[] = [];
  private watermark = 0;
  private maxSeq = 0;
  private noteCount = 0;

  /** Highest seq such that 1..seq are all held: what to resume from. */
  get lastSeq(): number {
    return this.watermark;
  }

  get size(): number {
    return this.bySeq.size + this.pending.size;
  }

  /** Store a server message; returns false when it is a duplicate. */
  addCreated(m: Pick<ChatMessage, 'seq' | 'sender' | 'text' | 'at' | 'clientMsgId' | 'attachment'> & { senderName?: string }): boolean {
    if (this.bySeq.has(m.seq)) return false;
    if (m.clientMsgId && m.sender === 'visitor') this.pending.delete(m.clientMsgId);
    this.bySeq.set(m.seq, {
      key: `s${m.seq}`,
      seq: m.seq,
      sender: m.sender === 'agent' || m.sender === 'visitor' ? m.sender : 'system',
      senderName: m.senderName,
      text: m.text,
      at: m.at,
      clientMsgId: m.clientMsgId,
      pending: false,
      ...(m.attachment ? { attachment: m.attachment } : {}),
    });
    this.advance(m.seq);
    return true;
  }

  addPending(clientMsgId: string, text: string, at: number): LogEntry {
    const e: LogEntry = { key: `p${clientMsgId}`, seq: null, sender: 'visitor', text, at, clientMsgId, pending: true };
    this.pending.set(clientMsgId, e);
    return e;
  }

  /** The server committed our message as `seq`. Returns false for an unknown or repeated ack. */
  ack(clientMsgId: string, seq: number, at: number): boolean {
    const p = this.pending.get(clientMsgId);
    if (!p) return false;
    this.pending.delete(clientMsgId);
    if (!this.bySeq.has(seq)) {
      this.bySeq.set(seq, { ...p, key: `s${seq}`, seq, at, pending: false });
      this.advance(seq);
    }
    return true;
  }

  /** The server refused this message; keep showing it, marked, and stop resending it. */
  fail(clientMsgId: string): boolean {
    const p = this.pending.get(clientMsgId);
    if (!p) return false;
    this.pending.delete(clientMsgId);
    this.extras.push({ ...p, pending: false, failed: true, afterSeq: this.maxSeq });
    return true;
  }

  /** A local line (not from the server) placed after everything stored so far. */
  addNote(sender: Sender, text: string, at: number, senderName?: string): LogEntry {
    const e: LogEntry = { key: `n${++this.noteCount}`, seq: null, sender, senderName, text, at, clientMsgId: null, pending: false, afterSeq: this.maxSeq };
    this.extras.push(e);
    return e;
  }

  /** An agent refused this file: mark it (a new render key, so the view redraws it). */
  decline(fileKey: string): boolean {
    let hit = false;
    for (const e of this.bySeq.values()) {
      if (e.attachment?.key === fileKey && !e.attachment.declined) {
        e.attachment = { ...e.attachment, declined: true };
        e.key += 'd';
        hit = true;
      }
    }
    return hit;
  }

  /** Messages not yet acked, oldest first: resend these with the same clientMsgId. */
  unacked(): LogEntry[] {
    return Array.from(this.pending.values());
  }

  /**
   * Everything in display order: stored messages by seq with local notes and failed
   * messages after the seq they followed, then pending ones in send order.
   */
  entries(): LogEntry[] {
    const pos = (e: LogEntry) => (e.seq !== null ? e.seq : (e.afterSeq ?? 0) + 0.5);
    // Array.prototype.sort is stable, so notes keep their insertion order.
    const placed = Array.from(this.bySeq.values()).concat(this.extras).sort((a, b) => pos(a) - pos(b));
    return placed.concat(this.unacked());
  }

  /** Forget the conversation (a new chat starts); pending messages are kept. */
  resetStored(): void {
    this.bySeq.clear();
    this.extras.length = 0;
    this.watermark = 0;
    this.maxSeq = 0;
  }

  private advance(seq: number): void {
    if (seq > this.maxSeq) this.maxSeq = seq;
    while (this.bySeq.has(this.watermark + 1)) this.watermark++;
  }
}
