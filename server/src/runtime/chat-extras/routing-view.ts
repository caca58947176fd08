// The few things chat extras need from a company's live routing state, in one
// place, so the routing runtime can change shape without touching the rest of
// chat-extras/.
import type { AppendResult, NewMessage } from '../../ports/conversation-store.js';
import type { CompanyRouting } from '../company-routing.js';

export interface OpenChat {
  visitorId: string;
  visitorName: string;
  /** owner, or null while queued */
  agentId: string | null;
}

export function openChat(c: CompanyRouting, conversationId: string): OpenChat | null {
  const conv = c.convs.get(conversationId);
  if (!conv) return null;
  return { visitorId: conv.info.visitorId, visitorName: conv.info.visitorName, agentId: c.router.getSnapshot().context.chats[conversationId]?.agentId ?? null };
}

/** Console users who see the chat live: the owner and supervisors watching the owner. */
export function consoleAudience(c: CompanyRouting, agentId: string | null): string[] {
  return agentId ? [agentId, ...c.watchersOf(agentId)] : [];
}

export function agentName(c: CompanyRouting, agentId: string): string {
  return c.agentName(agentId);
}

/** The visitor's open conversation, if any. */
export function openConversationOf(c: CompanyRouting, visitorId: string): string | null {
  return c.byVisitor.get(visitorId) ?? null;
}

/**
 * Appends a message in the conversation's commit order (the same serial queue the
 * conversation actor's messages use) and delivers it to the visitor and console.
 */
export function appendAndDeliver(c: CompanyRouting, input: Omit<NewMessage, 'companyId'>): Promise<AppendResult> {
  return c.serial.run(input.conversationId, async () => {
    const r = await c.deps.conversations.appendMessage({ ...input, companyId: c.companyId });
    const conv = c.convs.get(input.conversationId);
    if (!r.duplicate && conv) {
      if (r.message.seq > conv.info.lastSeq) conv.info.lastSeq = r.message.seq;
      const owner = c.router.getSnapshot().context.chats[input.conversationId]?.agentId ?? null;
      c.deliverMessage(r.message, { visitor: true, agentIds: consoleAudience(c, owner) }, conv.info.visitorId);
    }
    return r;
  });
}
