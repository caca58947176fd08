// One company's actors: the router (single writer of queue and assignment), one
// agent actor per agent (all tabs), one conversation actor per open conversation,
// one visitor actor per visitor on the site. Effects are wired in router-effects.ts
// and actor-effects.ts; this class owns the actors and the calls into them.
import { createActor, type Actor } from 'xstate';
import {
  agentMachine, conversationMachine, parseScopeKey, restoreRouterInput, routerMachine, visitorMachine,
  type AgentProfile, type ConversationEvent, type InviteRule, type RejectParams, type RouterEvent,
} from '../../../machines/index.js';
import type { AgentOut, AgentStatus, ChatMessage, ConversationSummary } from '../../../protocol/index.js';
import type { RoutingAgent } from '../ports/account-store.js';
import { AppError } from '../ports/errors.js';
import type { ConversationStore, RoutableConversation } from '../ports/conversation-store.js';
import type { AccountStore } from '../ports/account-store.js';
import type { Fanout } from './fanout.js';
import type { Logger } from '../logger.js';
import { KeyedSerial } from './keyed-serial.js';
import { summarize, type ConvInfo } from './conversation-index.js';
import { routerPart, storedInviteRules, storedRoutingSettings, type CompanyRoutingSettings } from './routing-settings.js';
import { dayKey } from './day-key.js';
import { routerActions } from './router-effects.js';
import { agentActions, conversationActions } from './actor-effects.js';

export interface RoutingDeps {
  conversations: ConversationStore;
  accounts: AccountStore;
  fanout: Fanout;
  logger: Logger;
  agentGraceMs: number;
  visitorGraceMs: number;
}

type RouterActor = Actor<typeof routerMachine>;
type AgentActor = Actor<typeof agentMachine>;
type ConversationActor = Actor<typeof conversationMachine>;
type VisitorActor = Actor<typeof visitorMachine>;

export interface OpenConv { info: ConvInfo; actor: ConversationActor }

/** What a synchronous call into an actor produced: a rejection, or a persist to wait for. */
interface Capture { rejection: RejectParams | null; persisted: Promise<unknown> | null; clientMsgId: string | null }

/** Waiting-list pushes are coalesced over this window (a burst of requests sends one snapshot per agent). */
const QUEUE_PUSH_MS = 50;

export function profileOf(a: RoutingAgent): AgentProfile {
  return {
    id: a.id, name: a.name, groups: a.groups, canAccept: a.permissions.includes('accept_chats'), canMonitor: a.permissions.includes('monitor'),
    isAdmin: a.role === 'admin', cap: a.maxChats, autoAccept: a.autoAccept,
  };
}

export class CompanyRouting {
  router!: RouterActor;
  readonly agents = new Map<string, AgentActor>();
  readonly presence = new Map<string, { status: AgentStatus; connected: boolean }>();
  readonly profiles = new Map<string, RoutingAgent>();
  readonly convs = new Map<string, OpenConv>();
  readonly byVisitor = new Map<string, string>();
  readonly visitors = new Map<string, { actor: VisitorActor; name: string; leave: NodeJS.Timeout | null }>();
  readonly visitorSockets = new Map<string, number>();
  /** Transfers pending at a crash, replayed when their target is back. */
  readonly pendingTransfers = new Map<string, { from: string; to: string }>();
  readonly serial = new KeyedSerial();
  /** Chats whose router decision found them ended in the store (a race with the visitor leaving). */
  readonly endedInStore = new Set<string>();
  /** Queued chats whose visitor has been sent chat.queued (queue.position may follow). */
  readonly queueNoticed = new Set<string>();
  /** Per agent: the socket opens in flight (profile load), so frames and closes wait for them. */
  readonly opening = new Map<string, Promise<void>>();
  readonly log: Logger;
  private capture: Capture | null = null;
  /** True while restored actors replay their state: no system texts are re-sent. */
  suppressTexts = false;
  private lastDecision = 0;
  private queueDirty = new Set<string>();
  private queueTimer: NodeJS.Timeout | null = null;
  private creating = new Map<string, Promise<string>>();
  private conversationMachine: typeof conversationMachine | null = null;
  stopped = false;

  private constructor(
    readonly companyId: string,
    readonly timeZone: string,
    public settings: CompanyRoutingSettings,
    public inviteRules: InviteRule[],
    readonly deps: RoutingDeps,
  ) {
    this.log = deps.logger.child({ companyId });
  }

  /** Rebuilds the company from Postgres: queues in order, owners, daily counts, pending transfers. */
  static async load(companyId: string, deps: RoutingDeps): Promise<CompanyRouting> {
    const company = await deps.accounts.companyById(companyId);
    if (!company) throw new AppError('not_found', 'company not found', 404);
    const [rawSettings, rawRules, agents, open, accepted] = await Promise.all([
      deps.accounts.companySetting(companyId, 'routing'), deps.accounts.companySetting(companyId, 'inviteRules'),
      deps.accounts.routingAgents(companyId), deps.conversations.openOf(companyId), deps.conversations.acceptedToday(companyId, company.timeZone),
    ]);
    const c = new CompanyRouting(companyId, company.timeZone, storedRoutingSettings(rawSettings), storedInviteRules(rawRules), deps);
    c.restore(agents, open, accepted);
    return c;
  }

  private restore(agents: RoutingAgent[], open: RoutableConversation[], accepted: Record<string, number>): void {
    for (const a of agents) this.profiles.set(a.id, a);
    const input = restoreRouterInput({
      companyId: this.companyId, settings: routerPart(this.settings), dayKey: dayKey(this.timeZone), agents: agents.map(profileOf),
      acceptedToday: accepted,
      conversations: open.map((o) => ({
        id: o.id, visitorId: o.visitorId, state: o.state === 'ended' ? 'active' : o.state, agentId: o.agentId,
        scope: parseScopeKey(o.scope), createdAt: o.createdAt,
      })),
    });
    for (const o of open) {
      this.startConversation({ id: o.id, visitorId: o.visitorId, visitorName: o.visitorName, groupId: o.groupId, scope: o.scope, createdAt: o.createdAt, lastSeq: o.lastSeq, firstMessage: o.firstMessage });
      if (o.transferTo && o.agentId) this.pendingTransfers.set(o.id, { from: o.agentId, to: o.transferTo });
    }
    this.router = createActor(routerMachine.provide({ actions: routerActions(this) }), { input });
    this.suppressTexts = true;
    try {
      this.router.start();
      // Active chats: the conversation actor learns its owner again (no welcome text).
      for (const chat of Object.values(input.chats)) {
        if (chat.phase !== 'active' || !chat.agentId) continue;
        const conv = this.convs.get(chat.id)!;
        conv.actor.send({ type: 'routing.assigned', agentId: chat.agentId, agentName: this.agentName(chat.agentId), mode: 'auto', includeHistory: false, watchers: [] });
      }
    } finally {
      this.suppressTexts = false;
    }
    // Owners start in grace (as if their sockets just dropped); visitors get their grace too.
    const owners = new Set(input.chats.flatMap((ch) => (ch.agentId ? [ch.agentId] : [])));
    for (const id of owners) { const p = this.profiles.get(id); if (p) this.startAgent(p, 'online'); }
    for (const conv of this.convs.values()) conv.actor.send({ type: 'visitor.disconnected' });
  }

  // ---- actors ---------------------------------------------------------------

  startConversation(info: ConvInfo): OpenConv {
    const autoReplies = Object.fromEntries([...this.profiles.values()].flatMap((p) => (p.autoReply ? [[p.id, p.autoReply]] : [])));
    // One provided machine per company: provide() rebuilds the whole state-node tree.
    this.conversationMachine ??= conversationMachine.provide({ actions: conversationActions(this) });
    const actor = createActor(this.conversationMachine, {
      input: { companyId: this.companyId, conversationId: info.id, visitorId: info.visitorId, texts: { ...this.settings.texts }, autoReplies, visitorGraceMs: this.deps.visitorGraceMs },
    });
    const conv = { info, actor };
    this.convs.set(info.id, conv);
    this.byVisitor.set(info.visitorId, info.id);
    actor.start();
    return conv;
  }

  startAgent(p: RoutingAgent, restoreStatus: 'online' | null = null): AgentActor {
    let actor = this.agents.get(p.id);
    if (actor) return actor;
    this.router.send({ type: 'agent.upsert', profile: profileOf(p) });
    const prof = profileOf(p);
    actor = createActor(agentMachine.provide({ actions: agentActions(this) }), {
      input: { companyId: this.companyId, agentId: p.id, canAccept: prof.canAccept, isAdmin: prof.isAdmin, idleAwayMs: this.settings.idleAwayMs, graceMs: this.deps.agentGraceMs, restoreStatus },
    });
    this.agents.set(p.id, actor);
    actor.start();
    return actor;
  }

  /** A (re)loaded profile: the router and the agent actor learn permissions, cap, groups. */
  upsertProfile(p: RoutingAgent): void {
    const before = this.profiles.get(p.id);
    this.profiles.set(p.id, p);
    this.router.send({ type: 'agent.upsert', profile: profileOf(p) });
    const prof = profileOf(p);
    const old = before ? profileOf(before) : null;
    if (!old || old.canAccept !== prof.canAccept || old.isAdmin !== prof.isAdmin) {
      this.agents.get(p.id)?.send({ type: 'permissions.set', canAccept: prof.canAccept, isAdmin: prof.isAdmin });
    }
  }

  // ---- synchronous calls with their outcome ------------------------------------

  /** Sends an event to the router; a rejection it produces is thrown as an AppError. */
  routerCall(event: RouterEvent): void {
    this.call(() => this.router.send(event), null);
  }

  /** Sends an event to a conversation; resolves with its persisted message (after COMMIT), if any. */
  conversationCall<T>(conversationId: string, event: ConversationEvent, clientMsgId: string | null): Promise<T> | null {
    const conv = this.convs.get(conversationId);
    if (!conv) throw new AppError('not_found', 'conversation not found', 404);
    if (conv.actor.getSnapshot().status !== 'active') throw new AppError('conflict', 'conversation has ended', 409);
    return this.call(() => conv.actor.send(event), clientMsgId) as Promise<T> | null;
  }

  agentCall(agentId: string, event: Parameters<AgentActor['send']>[0]): void {
    const actor = this.agents.get(agentId);
    if (!actor) throw new AppError('not_allowed_now', 'not connected', 409);
    this.call(() => actor.send(event), null);
  }

  private call(send: () => void, clientMsgId: string | null): Promise<unknown> | null {
    const outer = this.capture;
    const cap: Capture = { rejection: null, persisted: null, clientMsgId };
    this.capture = cap;
    try {
      send();
    } finally {
      this.capture = outer;
    }
    if (cap.rejection) throw new AppError(cap.rejection.code, cap.rejection.message, 409);
    return cap.persisted;
  }

  /** Effects call this: true when a synchronous caller takes the rejection. */
  takeRejection(r: RejectParams): boolean {
    if (!this.capture || this.capture.rejection) return false;
    this.capture.rejection = r;
    return true;
  }

  /** Effects call this with a persist promise; the caller waiting for that clientMsgId gets it. */
  offerPersisted(clientMsgId: string | null, p: Promise<unknown>): boolean {
    if (!this.capture || clientMsgId === null || this.capture.clientMsgId !== clientMsgId) return false;
    this.capture.persisted = p;
    return true;
  }

  // ---- shared helpers -------------------------------------------------------------

  /** Orders router decisions in assignment_log, also across restarts (clock-based, strictly increasing). */
  nextDecision(): number {
    this.lastDecision = Math.max(this.lastDecision + 1, Date.now() * 1000);
    return this.lastDecision;
  }

  agentName(agentId: string): string {
    return this.profiles.get(agentId)?.name ?? agentId;
  }

  summary(conversationId: string, ended?: { at: number }): ConversationSummary | null {
    const conv = this.convs.get(conversationId);
    return conv ? summarize(conv.info, this.router.getSnapshot().context, ended) : null;
  }

  /** Console users who see a chat live: its owner and the supervisors watching the owner. */
  watchersOf(agentId: string | null): string[] {
    if (!agentId) return [];
    return this.router.getSnapshot().context.monitors[agentId] ?? [];
  }

  deliverMessage(message: ChatMessage, audience: { visitor: boolean; agentIds: string[] }, visitorId: string): void {
    const frame = { v: 1 as const, type: 'message.created' as const, message };
    if (audience.visitor) this.deps.fanout.toVisitor(this.companyId, visitorId, frame);
    for (const a of audience.agentIds) this.deps.fanout.toAgent(this.companyId, a, frame);
  }

  /** The waiting list an agent may see: queued chats of scopes it serves, oldest first. */
  queueFor(agentId: string): ConversationSummary[] {
    const scopes = this.scopesServed(agentId);
    return scopes === null ? [] : this.waitingList(scopes, new Map());
  }

  /** Queue scopes (that have chats waiting) an agent serves, sorted; null when it may not accept. */
  private scopesServed(agentId: string): string[] | null {
    const ctx = this.router.getSnapshot().context;
    const a = ctx.agents[agentId];
    if (!a || !a.canAccept) return null;
    return Object.keys(ctx.queues)
      .filter((scope) => scope === 'company' || scope === `agent:${a.id}` || (scope.startsWith('group:') && a.groups.includes(scope.slice(6))))
      .sort();
  }

  /** Queued chats of these scopes, oldest first; `summaries` memoizes across calls of one push. */
  private waitingList(scopes: string[], summaries: Map<string, ConversationSummary | null>): ConversationSummary[] {
    const ctx = this.router.getSnapshot().context;
    const chats = scopes.flatMap((scope) => (ctx.queues[scope] ?? []).map((id) => ctx.chats[id]!)).sort((x, y) => x.ticket - y.ticket);
    return chats.flatMap((c) => {
      let s = summaries.get(c.id);
      if (s === undefined) { s = this.summary(c.id); summaries.set(c.id, s); }
      return s ? [s] : [];
    });
  }

  /** Coalesces waiting-list pushes: a burst of changes sends one snapshot per agent. */
  markQueueDirty(scopes: string[]): void {
    for (const s of scopes) this.queueDirty.add(s);
    if (this.queueTimer || this.stopped) return;
    // After the notices already queued (an accepted chat's conversation.updated comes first).
    this.queueTimer = setTimeout(() => {
      void this.serial.settled().then(() => {
        this.queueTimer = null;
        this.queueDirty.clear();
        if (this.stopped) return;
        // Agents serving the same scopes get the same frame object: built, summarized
        // and (by the fan-out) stringified once, however many agents watch.
        const summaries = new Map<string, ConversationSummary | null>();
        const frames = new Map<string, AgentOut>();
        for (const [id, p] of this.presence) {
          if (!p.connected) continue;
          const scopes = this.scopesServed(id);
          const key = scopes === null ? '' : scopes.join('\n');
          let frame = frames.get(key);
          if (!frame) {
            frame = { v: 1, type: 'queue.snapshot', queue: scopes === null ? [] : this.waitingList(scopes, summaries) };
            frames.set(key, frame);
          }
          this.deps.fanout.toAgent(this.companyId, id, frame);
        }
      });
    }, QUEUE_PUSH_MS);
  }

  queuedCount(): number {
    if (!this.router) return 0;
    return Object.values(this.router.getSnapshot().context.queues).reduce((n, q) => n + q.length, 0);
  }

  /** One conversation per visitor even when two requests race (double click, two tabs). */
  openOrCreate(visitorId: string, create: () => Promise<string>): Promise<string> {
    const existing = this.byVisitor.get(visitorId);
    if (existing && this.convs.has(existing)) return Promise.resolve(existing);
    let pending = this.creating.get(visitorId);
    if (!pending) {
      pending = create().finally(() => this.creating.delete(visitorId));
      this.creating.set(visitorId, pending);
    }
    return pending;
  }

  /** A conversation ended and its end is committed: forget it everywhere. */
  forget(conversationId: string): void {
    const conv = this.convs.get(conversationId);
    if (!conv) return;
    this.convs.delete(conversationId);
    if (this.byVisitor.get(conv.info.visitorId) === conversationId) this.byVisitor.delete(conv.info.visitorId);
    this.pendingTransfers.delete(conversationId);
    this.queueNoticed.delete(conversationId);
    // Decisions still queued behind the end find the chat gone; forget the marker a little later.
    void this.serial.run(conversationId, () => { this.endedInStore.delete(conversationId); });
    conv.actor.stop();
  }

  stop(): void {
    this.stopped = true;
    if (this.queueTimer) clearTimeout(this.queueTimer);
    for (const v of this.visitors.values()) { if (v.leave) clearTimeout(v.leave); v.actor.stop(); }
    for (const c of this.convs.values()) c.actor.stop();
    for (const a of this.agents.values()) a.stop();
    this.router?.stop();
  }
}
