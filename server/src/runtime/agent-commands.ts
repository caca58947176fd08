// What an agent socket can do, as calls into its company's actors. The router,
// agent and conversation machines decide; a rejection comes back as an AppError
// that the gateway turns into an error frame with the request's ref.
import { canSee, load, transferTargets } from '../../../machines/index.js';
import type { AgentListItem, AgentStatus, ChatMessage, ConversationSummary, Whisper } from '../../../protocol/index.js';
import { ErrorCode } from '../../../protocol/codes.js';
import type { Permission } from '../ports/account-store.js';
import { AppError, ForbiddenError, NotFoundError } from '../ports/errors.js';
import type { AppendResult } from '../ports/conversation-store.js';
import type { CompanyRouting } from './company-routing.js';
import type { Ack } from './visitor-commands.js';

export interface AgentIdentity {
  companyId: string;
  agentId: string;
  name: string;
  permissions: readonly Permission[];
  isAdmin: boolean;
}

/** A console socket opened: reload the agent's profile (permissions may have changed), count the tab. */
export function agentOpened(c: CompanyRouting, who: AgentIdentity): Promise<void> {
  const prev = c.opening.get(who.agentId) ?? Promise.resolve();
  const next = prev.then(async () => {
    const profile = (await c.deps.accounts.routingAgents(c.companyId)).find((a) => a.id === who.agentId);
    if (!profile || c.stopped) return;
    c.upsertProfile(profile);
    c.startAgent(profile).send({ type: 'socket.open' });
  });
  c.opening.set(who.agentId, next.catch(() => {}));
  return next;
}

/** Frames of a socket wait until its open has reached the agent actor (status, tab count). */
export async function whenOpened(c: CompanyRouting, agentId: string): Promise<void> {
  await c.opening.get(agentId);
}

export function agentClosed(c: CompanyRouting, who: AgentIdentity): void {
  // After the matching open, so the tab count never goes below zero.
  void whenOpened(c, who.agentId).then(() => c.agents.get(who.agentId)?.send({ type: 'socket.close' }));
}

/** An admin disabled or deleted the agent: signed out now, so their chats go back to the queue at once. */
export function agentRemoved(c: CompanyRouting, agentId: string): void {
  if (c.presence.get(agentId)?.connected) c.agents.get(agentId)?.send({ type: 'status.set', status: 'offline' });
}

export function agentActivity(c: CompanyRouting, who: AgentIdentity): void {
  c.agents.get(who.agentId)?.send({ type: 'activity' });
}

export function statusOf(c: CompanyRouting, agentId: string): AgentStatus {
  return c.presence.get(agentId)?.status ?? 'offline';
}

export function ready(c: CompanyRouting, who: AgentIdentity) {
  const ctx = c.router.getSnapshot().context;
  const mine = ctx.agents[who.agentId]?.chats ?? [];
  return {
    agent: { id: who.agentId, name: who.name, status: statusOf(c, who.agentId) },
    queue: c.queueFor(who.agentId),
    conversations: mine.flatMap((id) => { const s = c.summary(id); return s ? [s] : []; }),
  };
}

export function setStatus(c: CompanyRouting, who: AgentIdentity, status: AgentStatus): void {
  c.agentCall(who.agentId, { type: 'status.set', status });
}

export function accept(c: CompanyRouting, who: AgentIdentity, conversationId: string): void {
  if (!who.permissions.includes('accept_chats')) throw new ForbiddenError('you may not accept chats');
  c.routerCall({ type: 'chat.accept', conversationId, agentId: who.agentId });
}

export function decline(c: CompanyRouting, who: AgentIdentity, conversationId: string): void {
  c.routerCall({ type: 'chat.decline', conversationId, agentId: who.agentId });
}

export async function agentMessage(c: CompanyRouting, who: AgentIdentity, conversationId: string, clientMsgId: string, text: string): Promise<Ack> {
  const done = c.conversationCall<AppendResult>(conversationId, { type: 'agent.message', agentId: who.agentId, text, clientMsgId }, clientMsgId);
  if (!done) throw new ForbiddenError('this chat is not yours');
  const r = await done;
  return { conversationId, clientMsgId, seq: r.message.seq, at: r.message.at };
}

export function agentTyping(c: CompanyRouting, who: AgentIdentity, conversationId: string): void {
  const conv = c.convs.get(conversationId);
  if (!conv || c.router.getSnapshot().context.chats[conversationId]?.agentId !== who.agentId) return;
  c.deps.fanout.toVisitor(c.companyId, conv.info.visitorId, { v: 1, type: 'typing', conversationId, who: 'agent' });
}

export function agentEnd(c: CompanyRouting, who: AgentIdentity, conversationId: string): void {
  c.conversationCall(conversationId, { type: 'agent.end', agentId: who.agentId }, null);
}

/** History of a conversation of the company; whispers stay out (they have their own list). */
export async function history(c: CompanyRouting, conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
  const conv = await c.deps.conversations.get(c.companyId, conversationId);
  if (!conv) throw new NotFoundError('conversation');
  return c.deps.conversations.messagesAfter(c.companyId, conversationId, afterSeq, 1000);
}

/** Whispers of a conversation this console user may read (its agent or a supervisor who watched). */
export async function whispersFor(c: CompanyRouting, who: AgentIdentity, conversationId: string): Promise<Whisper[]> {
  const list = await c.deps.conversations.whispersFor(c.companyId, conversationId, who.agentId);
  return list.map((w) => ({ id: w.id, conversationId: w.conversationId, supervisorId: w.supervisorId, text: w.text, clientMsgId: w.clientMsgId, at: w.at }));
}

/** Colleagues for the transfer dialog: present agents this agent may see (never invisible admins for normal agents). */
export function agentsList(c: CompanyRouting, who: AgentIdentity): AgentListItem[] {
  const ctx = c.router.getSnapshot().context;
  const me = ctx.agents[who.agentId];
  if (!me) return [];
  const targets = new Set(transferTargets(ctx, who.agentId).map((t) => t.id));
  return Object.values(ctx.agents)
    .filter((a) => a.id !== me.id && a.status !== 'offline' && canSee(me, a))
    .map((a) => ({ id: a.id, name: a.name, status: a.status, load: load(a), cap: a.cap, transferable: targets.has(a.id) }));
}

export function transferRequest(c: CompanyRouting, who: AgentIdentity, conversationId: string, toAgentId: string): void {
  if (!who.permissions.includes('transfer')) throw new ForbiddenError('no permission to transfer');
  try {
    c.routerCall({ type: 'transfer.request', conversationId, fromAgentId: who.agentId, toAgentId });
  } catch (err) {
    const ctx = c.router.getSnapshot().context;
    if (err instanceof AppError && err.code === ErrorCode.NotAllowedNow && transferTargets(ctx, who.agentId).length === 0) {
      throw new AppError(ErrorCode.NoAgentOnline, 'no other agent is online to take this chat', 409);
    }
    throw err;
  }
}

export function transferRespond(c: CompanyRouting, who: AgentIdentity, conversationId: string, acceptIt: boolean, includeHistory: boolean): void {
  c.routerCall(acceptIt
    ? { type: 'transfer.accept', conversationId, agentId: who.agentId, includeHistory }
    : { type: 'transfer.reject', conversationId, agentId: who.agentId });
}

export function monitor(c: CompanyRouting, who: AgentIdentity, agentId: string, start: boolean): void {
  c.routerCall({ type: start ? 'monitor.start' : 'monitor.stop', supervisorId: who.agentId, agentId });
}

export function takeover(c: CompanyRouting, who: AgentIdentity, conversationId: string): void {
  c.routerCall({ type: 'takeover', supervisorId: who.agentId, conversationId });
}

export async function whisper(c: CompanyRouting, who: AgentIdentity, conversationId: string, clientMsgId: string, text: string): Promise<Whisper> {
  const done = c.conversationCall<Whisper>(conversationId, { type: 'whisper', supervisorId: who.agentId, text, clientMsgId }, clientMsgId);
  if (!done) throw new ForbiddenError('not monitoring this agent');
  return done;
}

/** Invitation popup or active chat (D7) to a visitor on the site now. */
export function invite(c: CompanyRouting, who: AgentIdentity, visitorId: string, kind: 'popup' | 'chat', greeting: string): void {
  if (!who.permissions.includes('accept_chats')) throw new ForbiddenError('you may not invite visitors');
  const v = c.visitors.get(visitorId);
  if (!v || !c.visitorSockets.has(visitorId)) throw new NotFoundError('visitor');
  if (!v.actor.getSnapshot().matches('browsing')) throw new AppError(ErrorCode.NotAllowedNow, 'visitor is already invited or chatting', 409);
  v.actor.send({ type: 'agent.invite', agentId: who.agentId, kind, greeting });
}

export type { ConversationSummary };
