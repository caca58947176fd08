// Named effects of the conversation, agent and visitor machines, provided per company.
import type { ConversationEndedParams, PersistMessageParams, ReportPresenceParams, RejectParams, ShareHistoryParams, ShowInviteParams, RequestChatParams } from '../../../machines/index.js';
import type { CompanyRouting } from './company-routing.js';
import { errorFrame } from './router-effects.js';

const SYSTEM_KINDS = new Set(['welcome', 'waiting', 'busy', 'closing']);

export function conversationActions(c: CompanyRouting) {
  const { fanout } = c.deps;
  const store = c.deps.conversations;
  return {
    persistMessage: (_: unknown, p: PersistMessageParams) => {
      if (c.suppressTexts && SYSTEM_KINDS.has(p.kind)) return;
      const conv = c.convs.get(p.conversationId);
      if (!conv) return;
      if (p.kind === 'whisper') {
        const done = c.serial.run(p.conversationId, async () => {
          const w = await store.appendWhisper(c.companyId, {
            conversationId: p.conversationId, supervisorId: p.senderId!, agentIds: p.audience.agentIds, text: p.text, clientMsgId: p.clientMsgId,
          });
          const whisper = { id: w.id, conversationId: w.conversationId, supervisorId: w.supervisorId, text: w.text, clientMsgId: w.clientMsgId, at: w.at };
          for (const a of p.audience.agentIds) if (a !== p.senderId) fanout.toAgent(c.companyId, a, { v: 1, type: 'whisper.created', whisper });
          return whisper;
        });
        if (!c.offerPersisted(p.clientMsgId, done)) done.catch((err) => c.log.error({ err }, 'whisper failed'));
        return;
      }
      const senderName = p.sender === 'visitor' ? conv.info.visitorName : p.senderId ? c.agentName(p.senderId) : undefined;
      const done = c.serial.run(p.conversationId, async () => {
        const r = await store.appendMessage({
          companyId: c.companyId, conversationId: p.conversationId, sender: p.sender, senderId: p.senderId, text: p.text, clientMsgId: p.clientMsgId,
          ...(senderName !== undefined ? { senderName } : {}),
        });
        if (!r.duplicate) {
          const m = r.message;
          if (m.seq > conv.info.lastSeq) conv.info.lastSeq = m.seq;
          if (conv.info.firstMessage === null && m.sender === 'visitor') {
            conv.info.firstMessage = m.text;
            c.markQueueDirty([conv.info.scope]);
          }
          c.deliverMessage(m, p.audience, conv.info.visitorId);
        }
        return r;
      });
      if (!c.offerPersisted(p.clientMsgId, done)) done.catch((err) => c.log.error({ err, kind: p.kind }, 'message not stored'));
    },
    shareHistory: (_: unknown, p: ShareHistoryParams) => {
      c.serial.run(p.conversationId, async () => {
        const messages = await store.messagesAfter(c.companyId, p.conversationId, 0, 1000);
        fanout.toAgent(c.companyId, p.agentId, { v: 1, type: 'conversation.history', conversationId: p.conversationId, messages });
      }).catch((err) => c.log.error({ err }, 'share history failed'));
    },
    conversationEnded: (_: unknown, p: ConversationEndedParams) => {
      const decision = c.nextDecision();
      const conv = c.convs.get(p.conversationId);
      if (!conv) return;
      // After this step's closing text has been queued: it must commit before the end does.
      queueMicrotask(() => {
        c.serial.run(p.conversationId, async () => {
          await store.endRouted(c.companyId, { conversationId: p.conversationId, by: p.by, decision });
          const summary = c.summary(p.conversationId, { at: Date.now() });
          fanout.toVisitor(c.companyId, conv.info.visitorId, { v: 1, type: 'chat.ended', conversationId: p.conversationId, by: p.by });
          const owner = summary?.agentId ?? p.agentId;
          if (summary) for (const a of new Set([...(owner ? [owner] : []), ...c.watchersOf(owner)])) fanout.toAgent(c.companyId, a, { v: 1, type: 'conversation.updated', conversation: summary });
          c.forget(p.conversationId);
          c.router.send({ type: 'chat.ended', conversationId: p.conversationId });
          c.visitors.get(conv.info.visitorId)?.actor.send({ type: 'chat.ended', conversationId: p.conversationId });
        }).catch((err) => c.log.error({ err, conversationId: p.conversationId }, 'ending conversation failed'));
      });
    },
    reject: (_: unknown, p: RejectParams) => {
      if (c.takeRejection(p)) return;
      if (p.target.kind === 'agent') fanout.toAgent(c.companyId, p.target.agentId, errorFrame(p.code, p.message, p.ref));
    },
  };
}

export function agentActions(c: CompanyRouting) {
  return {
    reportPresence: (_: unknown, p: ReportPresenceParams) => {
      const prev = c.presence.get(p.agentId);
      if (prev && prev.status === p.status && prev.connected === p.connected) return; // activity pings re-enter the state
      c.presence.set(p.agentId, { status: p.status, connected: p.connected });
      c.router.send({ type: 'agent.presence', agentId: p.agentId, status: p.status, connected: p.connected });
      c.deps.fanout.toAgent(c.companyId, p.agentId, { v: 1, type: 'agent.status', status: p.status, autoAway: p.autoAway });
      // A new actor starts offline before its socket opens: only a real departure drops a restored transfer.
      replayTransfers(c, p.agentId, prev !== undefined && prev.status !== 'offline' && p.status === 'offline');
    },
    reject: (_: unknown, p: RejectParams) => {
      if (c.takeRejection(p)) return;
      if (p.target.kind === 'agent') c.deps.fanout.toAgent(c.companyId, p.target.agentId, errorFrame(p.code, p.message, p.ref));
    },
  };
}

/** Transfers pending at a crash are offered again once their target is back (or dropped if it is gone). */
function replayTransfers(c: CompanyRouting, agentId: string, left: boolean): void {
  const p = c.presence.get(agentId);
  if (!p) return;
  for (const [conversationId, t] of c.pendingTransfers) {
    if (t.to !== agentId && t.from !== agentId) continue;
    const target = c.presence.get(t.to);
    if (t.to === agentId && left) {
      c.pendingTransfers.delete(conversationId);
      c.serial.run(conversationId, () => c.deps.conversations.setTransfer(c.companyId, conversationId, null)).catch(() => {});
      continue;
    }
    if (!target || !target.connected || (target.status !== 'online' && target.status !== 'invisible')) continue;
    try {
      c.routerCall({ type: 'transfer.request', conversationId, fromAgentId: t.from, toAgentId: t.to });
      c.pendingTransfers.delete(conversationId);
    } catch (err) {
      c.log.debug({ err, conversationId }, 'restored transfer not offered yet');
    }
  }
}

export function visitorActions(c: CompanyRouting, requestChat: (visitorId: string, p: RequestChatParams) => void) {
  return {
    showInvite: (_: unknown, p: ShowInviteParams) => {
      const agent = p.invitedBy ? { id: p.invitedBy, name: c.agentName(p.invitedBy) } : null;
      c.deps.fanout.toVisitor(c.companyId, p.visitorId, { v: 1, type: 'invite.shown', kind: p.kind, greeting: p.greeting, agent });
    },
    hideInvite: (_: unknown, p: { visitorId: string }) => {
      c.deps.fanout.toVisitor(c.companyId, p.visitorId, { v: 1, type: 'invite.hidden' });
    },
    requestChat: (_: unknown, p: RequestChatParams) => requestChat(p.visitorId, p),
  };
}


