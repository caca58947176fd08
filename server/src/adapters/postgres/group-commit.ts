// Group commit for chat messages. appendMessage() calls that arrive within a
// short window (or until a batch is full) are written by ONE statement,
// `select * from append_messages($1)`, which runs as its own implicit
// transaction: each promise settles only after that COMMIT. The SQL function
// (see migrations) switches app.company_id per company inside the batch, so RLS
// still scopes every row. A batch that fails as a whole (deadlock, lost
// connection, a constraint no one foresaw) is retried item by item, so one bad
// message cannot fail the others.
import type { Logger } from 'pino';
import type { ChatMessage } from '../../../../protocol/index.js';
import { ErrorCode } from '../../../../protocol/codes.js';
import type { AppendResult, NewMessage } from '../../ports/conversation-store.js';
import { AppError, ConflictError, NotFoundError } from '../../ports/errors.js';
import type { Sql } from './with-company.js';

export interface GroupCommitOptions {
  /** How long the first message of a batch waits for company. Default 2 ms. */
  windowMs?: number;
  /** A batch is flushed at once when it reaches this size. Default 500. */
  maxBatch?: number;
  /** Batches in flight at once (each holds one connection). Default 4. */
  maxInFlight?: number;
}

interface Pending {
  input: NewMessage;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

interface Row {
  o_i: number;
  o_status: 'new' | 'duplicate' | 'batch_duplicate' | 'not_found' | 'ended';
  o_seq: number | null;
  o_sender: ChatMessage['sender'];
  o_sender_id: string | null;
  o_sender_name: string | null;
  o_body: string;
  o_client_msg_id: string | null;
  o_created_at: Date;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  /** Statements sent and messages settled by them (for metrics and tests). */
  readonly stats = { batches: 0, messages: 0, retriedBatches: 0 };
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(private readonly sql: Sql, private readonly logger: Logger, opts: GroupCommitOptions = {}) {
    this.windowMs = opts.windowMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 500;
    this.maxInFlight = opts.maxInFlight ?? 4;
  }

  append(input: NewMessage): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('conversation store is closed'));
    // NUL cannot be stored in a text column; refusing it here keeps it out of the batch.
    if (input.text.includes('\u0000') || input.senderName?.includes('\u0000')) {
      return Promise.reject(new AppError(ErrorCode.BadRequest, 'message text contains a NUL character'));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Resolves once everything queued so far has been written (or has failed). */
  async drain(): Promise<void> {
    this.closed = true;
    this.flush();
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((done) => this.idleWaiters.push(done));
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) {
          // Messages that piled up while all slots were busy form the next batch.
          if (this.queue.length >= this.maxBatch || this.closed) this.flush();
          else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
        } else if (this.inFlight === 0) {
          for (const w of this.idleWaiters.splice(0)) w();
        }
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const rows = await this.run(batch);
      settle(batch, rows);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      this.stats.retriedBatches++;
      this.logger.warn({ err, size: batch.length }, 'message batch failed; retrying one by one');
      await Promise.all(batch.map(async (p) => {
        try {
          settle([p], await this.run([p]));
        } catch (e) {
          p.reject(e);
        }
      }));
    }
  }

  private run(batch: Pending[]): Promise<Row[]> {
    this.stats.batches++;
    this.stats.messages += batch.length;
    const byCompany: Record<string, unknown[]> = {};
    batch.forEach((p, i) => {
      const m = p.input;
      (byCompany[m.companyId] ??= []).push({
        i, conv: m.conversationId, sender: m.sender, sid: m.senderId, sname: m.senderName ?? null,
        body: m.text, cid: m.clientMsgId,
      });
    });
    // Sent as text and cast, so postgres.js does not JSON-encode it a second time.
    return this.sql<Row[]>`select * from append_messages(${JSON.stringify(byCompany)}::text::jsonb)`;
  }
}

function settle(batch: Pending[], rows: Row[]): void {
  const byIndex = new Map<number, Row>();
  for (const r of rows) byIndex.set(r.o_i, r);
  batch.forEach((p, i) => {
    const r = byIndex.get(i);
    if (!r) return p.reject(new Error('append_messages returned no row for a message'));
    switch (r.o_status) {
      case 'not_found': return p.reject(new NotFoundError('conversation'));
      case 'ended': return p.reject(new ConflictError('conversation has ended'));
      default: {
        const message: ChatMessage = {
          conversationId: p.input.conversationId,
          seq: r.o_seq!,
          sender: r.o_sender,
          senderId: r.o_sender_id,
          text: r.o_body,
          clientMsgId: r.o_client_msg_id,
          at: r.o_created_at.getTime(),
        };
        if (r.o_sender_name !== null) message.senderName = r.o_sender_name;
        return p.resolve({ message, duplicate: r.o_status !== 'new' });
      }
    }
  });
}
