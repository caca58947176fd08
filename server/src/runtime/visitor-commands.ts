// What a visitor socket can do, as calls into its company's actors.
import { createActor } from 'xstate';
import { parseScopeKey, scopeKey, visitorMachine, type RequestChatParams } from '../../../machines/index.js';
import type { ChatMessage, ConversationSummary, WidgetState } from '../../../protocol/index.js';
import { ErrorCode } from '../../../protocol/codes.js';
import { AppError, NotFoundError } from '../ports/errors.js';
import type { AppendResult } from '../ports/conversation-store.js';
import type { CompanyRouting } from './company-routing.js';
import { visitorActions } from './actor-effects.js';

export interface Ack { conversationId: string; clientMsgId: string; seq: number; at: number }

const toAck = (r: AppendResult, clientMsgId: string): Ack =>
  ({ conversationId: r.message.conversationId, clientMsgId, seq: r.message.seq, at: r.message.at });

export function widgetState(c: CompanyRouting, scope: string): WidgetState {
  return c.router.getSnapshot().context.widget[scope] ?? 'offline';
}

/** A visitor socket opened: a returning visitor's conversation stops its grace timer. */
export function visitorOpened(c: CompanyRouting, visitorId: string): void {
  const n = (c.visitorSockets.get(visitorId) ?? 0) + 1;
  c.visitorSockets.set(visitorId, n);
  const v = c.visitors.get(visitorId);
  if (v?.leave) { clearTimeout(v.leave); v.leave = null; }
  if (n === 1) {
    const convId = c.byVisitor.get(visitorId);
    if (convId) c.convs.get(convId)?.actor.send({ type: 'visitor.reconnected' });
  }
}

/** The last socket of a visitor closed: its chat ends after VISITOR_GRACE_SECONDS unless it comes back. */
export function visitorClosed(c: CompanyRouting, visitorId: string): void {
  const n = Math.max(0, (c.visitorSockets.get(visitorId) ?? 1) - 1);
  if (n > 0) { c.visitorSockets.set(visitorId, n); return; }
  c.visitorSockets.delete(visitorId);
  const convId = c.byVisitor.get(visitorId);
  if (convId) c.convs.get(convId)?.actor.send({ type: 'visitor.disconnected' });
  const v = c.visitors.get(visitorId);
  if (v && !v.leave && !c.stopped) {
    v.leave = setTimeout(() => {
      c.visitors.delete(visitorId);
      v.actor.send({ type: 'visitor.leave' });
      v.actor.stop();
    }, c.deps.visitorGraceMs);
    v.leave.unref?.();
  }
}

/** hello: starts (or finds) the visitor actor and counts the page view for auto-invite rules. */
/**
 * One provided visitor machine per company: provide() builds a whole new state-node
 * tree, and an actor keeps its machine, so per visitor it was most of an idle
 * visitor's memory (JS heap after GC, 16,000 tracked visitors: 18 KB each).
 */
const providedVisitorMachines = new WeakMap<CompanyRouting, typeof visitorMachine>();

function visitorMachineOf(c: CompanyRouting): typeof visitorMachine {
  let m = providedVisitorMachines.get(c);
  if (!m) {
    m = visitorMachine.provide({ actions: visitorActions(c, (id, p) => { void requestFromInvite(c, id, p); }) });
    providedVisitorMachines.set(c, m);
  }
  return m;
}

export function visitorHello(c: CompanyRouting, visitorId: string, name: string, page: { url: string } | undefined): void {
  let v = c.visitors.get(visitorId);
  if (!v) {
    const actor = createActor(visitorMachineOf(c), { input: { companyId: c.companyId, visitorId, region: null, rules: c.inviteRules } });
    v = { actor, name, leave: null };
    c.visitors.set(visitorId, v);
    actor.start();
    if (c.byVisitor.has(visitorId)) actor.send({ type: 'chat.started', conversationId: c.byVisitor.get(visitorId)! });
  }
  v.name = name;
  if (page) v.actor.send({ type: 'page.view', url: page.url, at: Date.now() });
}

async function requestFromInvite(c: CompanyRouting, visitorId: string, p: RequestChatParams): Promise<void> {
  try {
    await requestChat(c, visitorId, c.visitors.get(visitorId)?.name ?? `Visitor ${visitorId.slice(-4)}`, { scope: scopeKey(p.scope) });
  } catch (err) {
    c.log.warn({ err, visitorId }, 'chat from an invitation failed');
  }
}

export function inviteAnswer(c: CompanyRouting, visitorId: string, accept: boolean): void {
  const v = c.visitors.get(visitorId);
  if (!v || !v.actor.getSnapshot().matches('invited')) throw new AppError(ErrorCode.NotAllowedNow, 'no invitation shown', 409);
  v.actor.send({ type: accept ? 'invite.accept' : 'invite.decline' });
}

/** The visitor's open conversation, if any, and what it missed since lastSeq. */
export async function visitorResume(c: CompanyRouting, visitorId: string, resume?: { conversationId: string; lastSeq: number }) {
  const openId = c.byVisitor.get(visitorId);
  const open = openId ? c.summary(openId) : null;
  let missed: ChatMessage[] = [];
  if (resume) {
    const target = await c.deps.conversations.get(c.companyId, resume.conversationId);
    if (target && target.visitorId === visitorId) {
      missed = await c.deps.conversations.messagesAfter(c.companyId, target.id, resume.lastSeq, 1000);
      if (target.state === 'ended') return { conversation: target as ConversationSummary, missed };
    }
  }
  return { conversation: open, missed };
}

export interface ChatRequestOptions { scope: string; text?: string; clientMsgId?: string }

/**
 * Opens (or finds) the visitor's conversation and queues it with the router; the
 * first message, if any, is acked after its COMMIT. Returns the conversation id.
 */
export async function requestChat(c: CompanyRouting, visitorId: string, visitorName: string, opts: ChatRequestOptions): Promise<{ conversationId: string; created: boolean; ack: Ack | null }> {
  const scope = parseScopeKey(opts.scope);
  if (scope.kind === 'agent' && !c.router.getSnapshot().context.agents[scope.agentId]) throw new NotFoundError('agent');
  let created = false;
  const conversationId = await c.openOrCreate(visitorId, async () => {
    const conv = await c.deps.conversations.createConversation({
      companyId: c.companyId, visitorId, visitorName, groupId: scope.kind === 'group' ? scope.groupId : null, scope: opts.scope,
    });
    created = true;
    c.startConversation({ id: conv.id, visitorId, visitorName, groupId: conv.groupId, scope: opts.scope, createdAt: conv.createdAt, lastSeq: 0, firstMessage: null });
    if (!c.visitorSockets.has(visitorId)) c.convs.get(conv.id)!.actor.send({ type: 'visitor.disconnected' });
    c.visitors.get(visitorId)?.actor.send({ type: 'chat.started', conversationId: conv.id });
    const last = await lastAgentOf(c, visitorId);
    c.routerCall({ type: 'chat.request', conversationId: conv.id, visitorId, scope, lastAgentId: last });
    return conv.id;
  });
  let ack: Ack | null = null;
  if (opts.text) ack = await visitorMessage(c, visitorId, conversationId, opts.clientMsgId ?? `req-${conversationId}`, opts.text);
  return { conversationId, created, ack };
}

/** For "prefer the agent of the last chat": the agent of the visitor's latest ended chat. */
async function lastAgentOf(c: CompanyRouting, visitorId: string): Promise<string | null> {
  if (!c.settings.preferLastAgent) return null;
  const [last] = await c.deps.conversations.list(c.companyId, { visitorId, states: ['ended'], limit: 1 });
  return last?.agentId ?? null;
}

function ownConversation(c: CompanyRouting, visitorId: string, conversationId: string) {
  const conv = c.convs.get(conversationId);
  if (!conv || conv.info.visitorId !== visitorId) throw new NotFoundError('conversation');
  return conv;
}

export async function visitorMessage(c: CompanyRouting, visitorId: string, conversationId: string, clientMsgId: string, text: string): Promise<Ack> {
  ownConversation(c, visitorId, conversationId);
  const done = c.conversationCall<AppendResult>(conversationId, { type: 'visitor.message', text, clientMsgId }, clientMsgId);
  if (!done) throw new AppError(ErrorCode.Conflict, 'conversation has ended', 409);
  return toAck(await done, clientMsgId);
}

export function visitorTyping(c: CompanyRouting, visitorId: string, conversationId: string, draft: string | undefined): void {
  const conv = c.convs.get(conversationId);
  if (!conv || conv.info.visitorId !== visitorId) return;
  const owner = c.router.getSnapshot().context.chats[conversationId]?.agentId ?? null;
  if (!owner) return;
  for (const a of [owner, ...c.watchersOf(owner)]) {
    c.deps.fanout.toAgent(c.companyId, a, { v: 1, type: 'typing', conversationId, who: 'visitor', ...(draft === undefined ? {} : { draft }) });
  }
}

export function visitorEnd(c: CompanyRouting, visitorId: string, conversationId: string): void {
  ownConversation(c, visitorId, conversationId);
  c.conversationCall(conversationId, { type: 'visitor.end' }, null);
}
