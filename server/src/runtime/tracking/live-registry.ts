// C1/C2: who is on each company's site right now, and the pages they went
// through. Arrivals and page changes come from the tracker; departures are
// decided here: a visitor leaves once no widget socket has been open for
// `graceMs` (their last tab closed or crashed), sooner — after `leaveGraceMs` —
// when the page said goodbye with the leave beacon and no socket remains. A
// navigation sends leave then a new page view, which cancels the departure.
import type { AgentOut, LiveVisitor } from '../../../../protocol/index.js';

export interface TrailEntry {
  at: number;
  url: string;
  title: string;
  referrer: string;
  engine: string;
  keyword: string;
}

export interface LiveRegistryOptions {
  now(): number;
  publish(companyId: string, frame: AgentOut): void;
  /** true while a widget socket of this visitor is open; absent = only the leave beacon and idling count */
  isConnected?(companyId: string, visitorId: string): boolean;
  /** the agent serving the visitor's open conversation: undefined = none, null = waiting in the queue */
  chatAgent?(companyId: string, visitorId: string): string | null | undefined;
  graceMs: number;
  leaveGraceMs: number;
  /** a visitor silent this long has left even with a socket open (visit idle limit) */
  idleMs: number;
  maxTrail: number;
}

interface Entry {
  visitor: LiveVisitor;
  trail: TrailEntry[];
  leavingSince: number | null;
  disconnectedSince: number | null;
}

export class LiveRegistry {
  private readonly companies = new Map<string, Map<string, Entry>>();

  constructor(private readonly opts: LiveRegistryOptions) {}

  /** A page view: arrival or page change. The visitor object is replaced, never mutated in place. */
  view(companyId: string, visitor: Omit<LiveVisitor, 'status' | 'agentId'>, trail: TrailEntry, newVisit: boolean): LiveVisitor {
    let m = this.companies.get(companyId);
    if (!m) this.companies.set(companyId, (m = new Map()));
    const prev = m.get(visitor.id);
    const chat = this.chat(companyId, visitor.id);
    const entry: Entry = {
      visitor: { ...visitor, ...chat },
      // A new visit starts a new trail: C2 shows the pages of this visit.
      trail: prev && !newVisit ? prev.trail : [],
      leavingSince: null,
      disconnectedSince: prev?.disconnectedSince ?? null,
    };
    entry.trail.push(trail);
    if (entry.trail.length > this.opts.maxTrail) entry.trail.splice(0, entry.trail.length - this.opts.maxTrail);
    m.set(visitor.id, entry);
    this.opts.publish(companyId, { v: 1, type: 'visitor.updated', visitor: entry.visitor });
    return entry.visitor;
  }

  /** The leave beacon: the page is going away (closed, or navigating to the next page). */
  leave(companyId: string, visitorId: string): void {
    const e = this.companies.get(companyId)?.get(visitorId);
    if (e && e.leavingSince === null) e.leavingSince = this.opts.now();
  }

  list(companyId: string): LiveVisitor[] {
    const m = this.companies.get(companyId);
    if (!m) return [];
    return [...m.values()].map((e) => e.visitor).sort((a, b) => b.enteredAt - a.enteredAt);
  }

  get(companyId: string, visitorId: string): { visitor: LiveVisitor; trail: TrailEntry[] } | null {
    const e = this.companies.get(companyId)?.get(visitorId);
    return e ? { visitor: e.visitor, trail: [...e.trail] } : null;
  }

  isLive(companyId: string, visitorId: string): boolean {
    return this.companies.get(companyId)?.has(visitorId) ?? false;
  }

  companyIds(): string[] {
    return [...this.companies.keys()];
  }

  /** Decides departures and refreshes chat status; run periodically. */
  sweep(): void {
    const now = this.opts.now();
    for (const [companyId, m] of this.companies) {
      for (const [id, e] of m) {
        const connected = this.opts.isConnected?.(companyId, id) ?? false;
        if (connected) e.disconnectedSince = null;
        else e.disconnectedSince ??= now;
        const gone = !connected && (
          (e.leavingSince !== null && now - e.leavingSince >= this.opts.leaveGraceMs) ||
          (e.disconnectedSince !== null && now - e.disconnectedSince >= this.opts.graceMs));
        if (gone || now - e.visitor.lastSeenAt >= this.opts.idleMs) {
          m.delete(id);
          this.opts.publish(companyId, { v: 1, type: 'visitor.left', visitorId: id, at: now });
          continue;
        }
        const chat = this.chat(companyId, id);
        if (chat.status !== e.visitor.status || chat.agentId !== e.visitor.agentId) {
          e.visitor = { ...e.visitor, ...chat };
          this.opts.publish(companyId, { v: 1, type: 'visitor.updated', visitor: e.visitor });
        }
      }
      if (m.size === 0) this.companies.delete(companyId);
    }
  }

  private chat(companyId: string, visitorId: string): Pick<LiveVisitor, 'status' | 'agentId'> {
    const agent = this.opts.chatAgent?.(companyId, visitorId);
    return agent === undefined ? { status: 'browsing', agentId: null } : { status: 'chatting', agentId: agent };
  }
}
