// F2 scheduled broadcasts (定时发送). The due rows live in Postgres, so the
// schedule survives restarts: a sweep runs at boot and on an interval, and a
// broadcast created on this node also gets a timer for its exact time. Sending
// claims the row (BroadcastStore.sendDue), so a sweep and a timer, or two
// nodes, never deliver one twice.
import type { AgentOut } from '../../../protocol/agent-frames.js';
import type { Broadcast, BroadcastStore } from '../ports/broadcast-store.js';
import type { Logger } from '../logger.js';

export interface BroadcastSchedulerOptions {
  store: BroadcastStore;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  logger: Logger;
  /** sweep period; default 15 s */
  intervalMs?: number;
}

/** Pushes `broadcast.received` to each recipient (sockets that are open now). */
export function deliverBroadcast(toAgent: BroadcastSchedulerOptions['toAgent'], companyId: string, broadcast: Broadcast, recipients: string[]): void {
  for (const agentId of recipients) toAgent(companyId, agentId, { v: 1, type: 'broadcast.received', broadcast: { ...broadcast, readAt: null } });
}

export class BroadcastScheduler {
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly opts: BroadcastSchedulerOptions) {}

  /** Sweeps once now (boot: anything that fell due while we were down), then periodically. */
  start(): void {
    void this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep(), this.opts.intervalMs ?? 15_000);
    this.sweepTimer.unref();
  }

  /** A broadcast was scheduled on this node: send it at its time rather than at the next sweep. */
  wake(companyId: string, id: number, sendAt: number): void {
    if (this.closed) return;
    // setTimeout's limit is ~24.8 days; later ones are left to the sweep.
    const delay = Math.max(0, sendAt - Date.now());
    if (delay > 2 ** 31 - 1) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.sendOne(companyId, id);
    }, delay + 5);
    t.unref();
    this.timers.add(t);
  }

  /** One pass over due rows; overlapping calls share the pass in flight. */
  sweep(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.running ??= (async () => {
      try {
        for (;;) {
          const due = await this.opts.store.due(100);
          for (const d of due) await this.sendOne(d.companyId, d.id);
          if (due.length < 100 || this.closed) break;
        }
      } catch (err) {
        this.opts.logger.error({ err }, 'broadcast sweep failed; next sweep retries');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async sendOne(companyId: string, id: number): Promise<void> {
    if (this.closed) return;
    try {
      const sent = await this.opts.store.sendDue(companyId, id);
      if (sent) deliverBroadcast(this.opts.toAgent, companyId, sent.broadcast, sent.recipients);
    } catch (err) {
      this.opts.logger.error({ err, companyId, id }, 'scheduled broadcast failed; next sweep retries');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.running;
  }
}
