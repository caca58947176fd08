// The chat runtime: one CompanyRouting (router + agent, conversation and visitor
// actors) per company, loaded from Postgres on first use and, for companies with
// open chats, at boot (recovery). The gateway calls in with the company from the
// session or the widget key, never from the frame.
import type { AgentStatus } from '../../../protocol/index.js';
import { CompanyRouting, type RoutingDeps } from './company-routing.js';
import { dayKey } from './day-key.js';
import { routerPart, storedInviteRules, storedRoutingSettings } from './routing-settings.js';
import { agentRemoved, statusOf } from './agent-commands.js';
import type { RoutingAgent } from '../ports/account-store.js';

export type { AgentIdentity } from './agent-commands.js';

/** Told the company's current (enabled) agents after an admin changed one (A5). */
export type AgentsListener = (companyId: string, agents: RoutingAgent[]) => void;

export class ChatRuntime {
  private readonly companies = new Map<string, Promise<CompanyRouting>>();
  private readonly loaded = new Map<string, CompanyRouting>();
  private readonly dayTimer: NodeJS.Timeout;
  private readonly agentsListeners = new Set<AgentsListener>();

  /** Figures for /metrics, and the visitor feed's "which agent chats with this visitor". */
  readonly open = {
    queueLengthAll: (): number => [...this.loaded.values()].reduce((n, c) => n + c.queuedCount(), 0),
    byVisitor: (companyId: string, visitorId: string): { id: string; agentId: string | null } | undefined => {
      const c = this.loaded.get(companyId);
      const id = c?.byVisitor.get(visitorId);
      if (!c || !id) return undefined;
      return { id, agentId: c.router.getSnapshot().context.chats[id]?.agentId ?? null };
    },
  };
  /** Agent status as the console and tests read it. */
  readonly presence = { status: (companyId: string, agentId: string): AgentStatus => { const c = this.loaded.get(companyId); return c ? statusOf(c, agentId) : 'offline'; } };

  constructor(private readonly deps: RoutingDeps) {
    // Sales routing counts chats accepted "today" in the company's zone: roll the day at local midnight.
    this.dayTimer = setInterval(() => this.rollDays(), 30_000);
    this.dayTimer.unref();
  }

  /** The company's actors, loading (and restoring) them on first use. */
  company(companyId: string): Promise<CompanyRouting> {
    let p = this.companies.get(companyId);
    if (!p) {
      p = CompanyRouting.load(companyId, this.deps).then((c) => { this.loaded.set(companyId, c); return c; });
      p.catch(() => this.companies.delete(companyId));
      this.companies.set(companyId, p);
    }
    return p;
  }

  /** Boot: rebuild every company that has open conversations, so their grace timers run. */
  async recover(): Promise<number> {
    const open = await this.deps.conversations.openConversations();
    const ids = [...new Set(open.map((c) => c.companyId))];
    await Promise.all(ids.map((id) => this.company(id)));
    return open.length;
  }

  /** Settings or invite rules changed (REST): the live router and new actors use them at once. */
  async settingsChanged(companyId: string): Promise<void> {
    const c = this.loaded.get(companyId);
    if (!c) return;
    const [raw, rules] = await Promise.all([
      this.deps.accounts.companySetting(companyId, 'routing'), this.deps.accounts.companySetting(companyId, 'inviteRules'),
    ]);
    c.settings = storedRoutingSettings(raw);
    c.inviteRules = storedInviteRules(rules);
    c.router.send({ type: 'settings.update', settings: routerPart(c.settings) });
    for (const agent of c.agents.values()) agent.send({ type: 'idle.set', idleAwayMs: c.settings.idleAwayMs });
  }

  /**
   * Agent profiles changed (cap, auto-accept, groups, permissions): reload them into the
   * router, sign disabled or deleted agents out (their chats go back to the queue) and
   * tell the listeners (the agent socket gateway updates the open sockets' identity).
   */
  async agentsChanged(companyId: string): Promise<void> {
    const c = this.loaded.get(companyId);
    if (!c) return;
    const list = await this.deps.accounts.routingAgents(companyId);
    const enabled = new Set(list.map((a) => a.id));
    for (const a of list) c.upsertProfile(a);
    for (const id of [...c.profiles.keys()]) if (!enabled.has(id)) agentRemoved(c, id);
    for (const listener of this.agentsListeners) listener(companyId, list);
  }

  onAgentsChanged(listener: AgentsListener): void {
    this.agentsListeners.add(listener);
  }

  private rollDays(): void {
    for (const c of this.loaded.values()) {
      const key = dayKey(c.timeZone);
      if (key !== c.router.getSnapshot().context.dayKey) c.router.send({ type: 'day.rollover', dayKey: key });
    }
  }

  /** Waits until every queued store write and notice has run (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.loaded.values()].map((c) => c.serial.idle()));
  }

  async close(): Promise<void> {
    clearInterval(this.dayTimer);
    await this.idle().catch(() => {});
    for (const c of this.loaded.values()) c.stop();
  }
}
