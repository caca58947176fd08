// The company router's named effects, provided to routerMachine. Everything about
// one conversation runs through CompanyRouting.serial in decision order, so the
// assignment row is COMMITTED before the visitor and the agent are told.
import { load, type RouterContext, type RoutingToConversation } from '../../../machines/index.js';
import type { AgentOut } from '../../../protocol/index.js';
import type { CompanyRouting } from './company-routing.js';
import { AppError } from '../ports/errors.js';
import { ErrorCode } from '../../../protocol/codes.js';

type Args = { context: RouterContext };

export const errorFrame = (code: string, message: string, ref?: string) =>
  ({ v: 1 as const, type: 'error' as const, code, message, ...(ref !== undefined ? { ref } : {}) });

export function routerActions(c: CompanyRouting) {
  const { fanout } = c.deps;
  const store = c.deps.conversations;
  const later = (conversationId: string, what: string, fn: () => unknown) => {
    c.serial.run(conversationId, fn).catch((err) => c.log.error({ err, conversationId }, `${what} failed`));
  };
  /** A decision about a chat the store has ended meanwhile (visitor left as it was assigned): not committed, so nobody is told. */
  const persist = (conversationId: string, what: string, fn: () => Promise<unknown>) => {
    c.serial.run(conversationId, () => fn().catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.Conflict) { c.endedInStore.add(conversationId); return; }
      throw err;
    })).catch((err) => c.log.error({ err, conversationId }, `${what} failed`));
  };
  /** Notices run only while the chat is still open in the store. */
  const notify = (conversationId: string, what: string, fn: () => unknown) =>
    later(conversationId, what, () => { if (!c.endedInStore.has(conversationId)) fn(); });
  const toAgent = (agentId: string, frame: AgentOut) => fanout.toAgent(c.companyId, agentId, frame);

  // When the head of a queue leaves, every chat behind it moves up: with hundreds
  // waiting that is hundreds of queue.position notices per router event, each a
  // per-conversation serial step. They carry no durable state, so they are
  // coalesced per loop turn (the latest position wins) and sent only to chats that
  // still wait at that position and have already been told chat.queued.
  const positions = new Map<string, { visitorId: string; position: number; ahead: number }>();
  const flushPositions = () => {
    const told = c.router.getSnapshot().context.told;
    for (const [id, p] of positions) {
      if (told[id] !== p.position || !c.queueNoticed.has(id) || c.endedInStore.has(id)) continue;
      fanout.toVisitor(c.companyId, p.visitorId, { v: 1, type: 'queue.position', conversationId: id, position: p.position, ahead: p.ahead });
    }
    positions.clear();
  };

  return {
    persistAssignment: ({ context }: Args, p: { conversationId: string; agentId: string; mode: 'auto' | 'manual' | 'transfer' | 'takeover' }) => {
      const a = context.agents[p.agentId]!;
      const chat = context.chats[p.conversationId]!;
      const entry = {
        conversationId: p.conversationId, agentId: p.agentId, mode: p.mode, status: a.status, load: load(a), cap: a.cap,
        scope: chat.scope, ticket: chat.ticket, decision: c.nextDecision(),
      };
      c.pendingTransfers.delete(p.conversationId);
      persist(p.conversationId, 'persist assignment', () => store.assignRouted(c.companyId, entry));
    },
    persistRequeue: (_: Args, p: { conversationId: string; previousAgentId: string | null; reason: string }) => {
      const entry = { ...p, decision: c.nextDecision() };
      persist(p.conversationId, 'persist requeue', () => store.requeueRouted(c.companyId, entry));
    },
    notifyVisitor: (_: Args, p: { conversationId: string; visitorId: string; notice: { type: string; position?: number; ahead?: number; agentId?: string; agentName?: string } }) => {
      const n = p.notice;
      if (n.type === 'queue.position') {
        if (positions.size === 0) setImmediate(flushPositions);
        positions.set(p.conversationId, { visitorId: p.visitorId, position: n.position!, ahead: n.ahead! });
        return;
      }
      notify(p.conversationId, 'notify visitor', () => {
        if (n.type === 'chat.assigned') {
          c.queueNoticed.delete(p.conversationId);
          fanout.toVisitor(c.companyId, p.visitorId, { v: 1, type: 'chat.assigned', conversationId: p.conversationId, agent: { id: n.agentId!, name: n.agentName! } });
        } else {
          c.queueNoticed.add(p.conversationId);
          fanout.toVisitor(c.companyId, p.visitorId, { v: 1, type: 'chat.queued', conversationId: p.conversationId, position: n.position!, ahead: n.ahead! });
        }
      });
    },
    notifyAgent: ({ context }: Args, p: { agentId: string; notice: import('../../../machines/index.js').AgentNotice }) => {
      const n = p.notice;
      notify(n.conversationId, 'notify agent', () => {
        const summary = c.summary(n.conversationId);
        switch (n.type) {
          case 'chat.offered':
            if (summary) toAgent(p.agentId, { v: 1, type: 'chat.offered', conversation: summary, timeoutMs: n.timeoutMs });
            return;
          case 'chat.offerWithdrawn':
            toAgent(p.agentId, { v: 1, type: 'chat.offer.withdrawn', conversationId: n.conversationId, reason: n.reason });
            return;
          case 'chat.assigned':
          case 'chat.unassigned':
            if (!summary) return;
            toAgent(p.agentId, { v: 1, type: 'conversation.updated', conversation: summary });
            // Supervisors watching this agent see its chats come and go.
            for (const s of context.monitors[p.agentId] ?? []) toAgent(s, { v: 1, type: 'conversation.updated', conversation: summary });
            return;
          case 'transfer.offered':
            if (summary) toAgent(p.agentId, { v: 1, type: 'transfer.offered', conversation: summary, fromAgentId: n.fromAgentId, timeoutMs: n.timeoutMs });
            return;
          case 'transfer.result':
            toAgent(p.agentId, { v: 1, type: 'transfer.result', conversationId: n.conversationId, toAgentId: n.toAgentId, result: n.result });
            return;
        }
      });
    },
    notifyConversation: (_: Args, p: { conversationId: string; event: RoutingToConversation }) => {
      const suppress = c.suppressTexts;
      const e = p.event;
      if (e.type === 'routing.transferStarted' || e.type === 'routing.transferEnded') c.pendingTransfers.delete(p.conversationId);
      if (e.type === 'routing.transferStarted') later(p.conversationId, 'persist transfer', () => store.setTransfer(c.companyId, p.conversationId, e.toAgentId));
      if (e.type === 'routing.transferEnded') later(p.conversationId, 'persist transfer end', () => store.setTransfer(c.companyId, p.conversationId, null));
      notify(p.conversationId, 'notify conversation', () => {
        const conv = c.convs.get(p.conversationId);
        if (!conv || conv.actor.getSnapshot().status !== 'active') return;
        c.suppressTexts = suppress;
        try { conv.actor.send(e); } finally { c.suppressTexts = false; }
      });
    },
    queueChanged: (_: Args, p: { scopes: string[] }) => c.markQueueDirty(p.scopes),
    widgetStateChanged: (_: Args, p: { scope: string; state: 'online' | 'busy' | 'offline' }) => {
      fanout.toScopeVisitors(c.companyId, p.scope, { v: 1, type: 'widget.state', state: p.state });
    },
    monitorChanged: (_: Args, p: { supervisorId: string; agentId: string; active: boolean; conversationIds: string[] }) => {
      const conversations = p.conversationIds.flatMap((id) => { const s = c.summary(id); return s ? [s] : []; });
      toAgent(p.supervisorId, { v: 1, type: 'monitor.state', agentId: p.agentId, active: p.active, conversations });
    },
    recordAnalytics: () => {},
    reject: (_: Args, p: import('../../../machines/index.js').RejectParams) => {
      if (c.takeRejection(p)) return;
      if (p.target.kind === 'agent') toAgent(p.target.agentId, errorFrame(p.code, p.message, p.ref));
      else fanout.toVisitor(c.companyId, p.target.visitorId, errorFrame(p.code, p.message, p.ref));
    },
  };
}
