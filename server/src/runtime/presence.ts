// Agent presence for the first version: socket counts per agent, a grace period
// after the last socket closes, and the company's widget state derived from it.
import type { AgentStatus, WidgetState } from '../../../protocol/index.js';

interface AgentPresence { status: AgentStatus; sockets: number; graceTimer: NodeJS.Timeout | null }

export interface PresenceOptions {
  graceMs: number;
  onWidgetState(companyId: string, state: WidgetState): void;
  onStatus(companyId: string, agentId: string, status: AgentStatus): void;
}

export class Presence {
  private readonly companies = new Map<string, Map<string, AgentPresence>>();
  private readonly lastWidget = new Map<string, WidgetState>();

  constructor(private readonly opts: PresenceOptions) {}

  private agents(companyId: string): Map<string, AgentPresence> {
    let m = this.companies.get(companyId);
    if (!m) this.companies.set(companyId, (m = new Map()));
    return m;
  }

  /** A socket of this agent opened; returns the agent's status. */
  connect(companyId: string, agentId: string, canAccept: boolean): AgentStatus {
    const m = this.agents(companyId);
    let p = m.get(agentId);
    if (!p) m.set(agentId, (p = { status: canAccept ? 'online' : 'away', sockets: 0, graceTimer: null }));
    if (p.graceTimer) { clearTimeout(p.graceTimer); p.graceTimer = null; }
    if (p.status === 'offline') p.status = canAccept ? 'online' : 'away';
    p.sockets++;
    this.recompute(companyId);
    return p.status;
  }

  disconnect(companyId: string, agentId: string): void {
    const p = this.agents(companyId).get(agentId);
    if (!p) return;
    p.sockets = Math.max(0, p.sockets - 1);
    if (p.sockets > 0) return;
    p.graceTimer = setTimeout(() => {
      p.graceTimer = null;
      if (p.sockets === 0) { p.status = 'offline'; this.recompute(companyId); }
    }, this.opts.graceMs);
    p.graceTimer.unref?.();
  }

  setStatus(companyId: string, agentId: string, status: AgentStatus): AgentStatus {
    const p = this.agents(companyId).get(agentId);
    if (!p) return 'offline';
    p.status = status;
    this.opts.onStatus(companyId, agentId, status);
    this.recompute(companyId);
    return status;
  }

  status(companyId: string, agentId: string): AgentStatus {
    return this.agents(companyId).get(agentId)?.status ?? 'offline';
  }

  widgetState(companyId: string): WidgetState {
    let anyBusy = false;
    for (const p of this.agents(companyId).values()) {
      if (p.status === 'online') return 'online';
      if (p.status === 'busy') anyBusy = true;
    }
    return anyBusy ? 'busy' : 'offline';
  }

  onlineCount(): number {
    let n = 0;
    for (const m of this.companies.values()) for (const p of m.values()) if (p.status !== 'offline') n++;
    return n;
  }

  private recompute(companyId: string): void {
    const state = this.widgetState(companyId);
    if (this.lastWidget.get(companyId) === state) return;
    this.lastWidget.set(companyId, state);
    this.opts.onWidgetState(companyId, state);
  }

  close(): void {
    for (const m of this.companies.values()) for (const p of m.values()) if (p.graceTimer) clearTimeout(p.graceTimer);
  }
}
