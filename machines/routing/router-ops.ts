// Mutations shared by the router's event handlers. They work on a draft (a clone of
// the context made by reduce()) and append effects; only reduce() is exported onwards.
import { ErrorCode } from '../../protocol/codes.js';
import { isAssignable, nextAssignment } from './assign.js';
import type { AssignmentMode, RequeueReason, RouterEffect } from './effects.js';
import { enqueueHead, remove } from './queue.js';
import type { RouterContext } from './router-types.js';
import type { RoutedAgent, RoutedChat } from './types.js';
import { widgetChanges, widgetStates } from './widget.js';

export type Fx = RouterEffect[];

/** Thrown by handlers for bad input; reduce() turns it into a `reject` effect and keeps the old state. */
export class Rejection extends Error {
  constructor(readonly code: ErrorCode, message: string) { super(message); }
}

export const timerId = (conversationId: string): string => `chat:${conversationId}`;
const without = (xs: string[], x: string): string[] => xs.filter((y) => y !== x);
const sameIds = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

export function agentOf(d: RouterContext, id: string, code: ErrorCode = ErrorCode.Forbidden): RoutedAgent {
  const a = d.agents[id];
  if (!a) throw new Rejection(code, code === ErrorCode.Forbidden ? 'unknown agent' : 'no such agent');
  return a;
}

export function chatOf(d: RouterContext, id: string): RoutedChat {
  const c = d.chats[id];
  if (!c) throw new Rejection(ErrorCode.NotFound, 'no such conversation');
  return c;
}

/** Give `chat` to `agent` for good (active). Handles queued, offered, transferring and taken-over chats. */
export function assignTo(d: RouterContext, fx: Fx, chat: RoutedChat, agent: RoutedAgent, mode: AssignmentMode, includeHistory = false): void {
  const prevId = chat.agentId;
  if (prevId !== null && prevId !== agent.id) {
    const prev = d.agents[prevId];
    if (prev) prev.chats = without(prev.chats, chat.id);
    fx.push({ type: 'notifyAgent', params: { agentId: prevId, notice: { type: 'chat.unassigned', conversationId: chat.id, reason: mode === 'takeover' ? 'takenOver' : 'transferred' } } });
  }
  if (chat.pendingAgentId !== null) {
    const pending = d.agents[chat.pendingAgentId];
    if (pending) pending.reserved = without(pending.reserved, chat.id);
  }
  d.queues = remove(d.queues, chat.scope, chat.id);
  agent.chats = [...without(agent.chats, chat.id), chat.id];
  agent.acceptedToday += 1;
  agent.idleSince = d.clock;
  Object.assign(chat, { phase: 'active', agentId: agent.id, pendingAgentId: null, holding: false });
  fx.push(
    { type: 'cancelTimer', params: { id: timerId(chat.id) } },
    { type: 'persistAssignment', params: { conversationId: chat.id, agentId: agent.id, previousAgentId: prevId, mode, includeHistory } },
    { type: 'notifyVisitor', params: { conversationId: chat.id, visitorId: chat.visitorId, notice: { type: 'chat.assigned', agentId: agent.id, agentName: agent.name } } },
    { type: 'notifyAgent', params: { agentId: agent.id, notice: { type: 'chat.assigned', conversationId: chat.id, mode, includeHistory } } },
    { type: 'notifyConversation', params: { conversationId: chat.id, event: { type: 'routing.assigned', agentId: agent.id, agentName: agent.name, mode, includeHistory, watchers: [...(d.monitors[agent.id] ?? [])] } } },
    { type: 'recordAnalytics', params: { kind: 'assigned', conversationId: chat.id, agentId: agent.id, mode } },
  );
}

/** Reserve `chat` for an agent without auto-accept; it must accept before offerTimeout. */
export function offerTo(d: RouterContext, fx: Fx, chat: RoutedChat, agent: RoutedAgent): void {
  d.queues = remove(d.queues, chat.scope, chat.id);
  agent.reserved = [...agent.reserved, chat.id];
  agent.idleSince = d.clock;
  Object.assign(chat, { phase: 'offered', pendingAgentId: agent.id, holding: false });
  fx.push(
    { type: 'cancelTimer', params: { id: timerId(chat.id) } },
    { type: 'startTimer', params: { id: timerId(chat.id), delay: 'offerTimeout', event: { type: 'offer.expired', conversationId: chat.id, agentId: agent.id } } },
    { type: 'notifyAgent', params: { agentId: agent.id, notice: { type: 'chat.offered', conversationId: chat.id, timeoutMs: d.settings.offerTimeoutMs } } },
    { type: 'recordAnalytics', params: { kind: 'offered', conversationId: chat.id, agentId: agent.id } },
  );
}

/** Back to the head of its scope queue, releasing owner and any pending offer or transfer. */
export function requeue(d: RouterContext, fx: Fx, chat: RoutedChat, reason: RequeueReason, decliner?: string): void {
  const owner = chat.agentId;
  if (owner !== null) {
    const a = d.agents[owner];
    if (a) a.chats = without(a.chats, chat.id);
  }
  if (chat.pendingAgentId !== null) {
    const p = d.agents[chat.pendingAgentId];
    if (p) p.reserved = without(p.reserved, chat.id);
    if (chat.phase === 'transferring' && chat.pendingAgentId !== decliner) {
      fx.push({ type: 'notifyAgent', params: { agentId: chat.pendingAgentId, notice: { type: 'chat.offerWithdrawn', conversationId: chat.id, reason: 'unavailable' } } });
    }
  }
  if (decliner !== undefined && !chat.declinedBy.includes(decliner)) chat.declinedBy = [...chat.declinedBy, decliner];
  Object.assign(chat, { phase: 'queued', agentId: null, pendingAgentId: null, holding: false });
  d.queues = enqueueHead(d.queues, chat.scope, chat.id);
  fx.push({ type: 'cancelTimer', params: { id: timerId(chat.id) } });
  if (owner !== null) {
    fx.push(
      { type: 'persistRequeue', params: { conversationId: chat.id, previousAgentId: owner, reason } },
      { type: 'notifyConversation', params: { conversationId: chat.id, event: { type: 'routing.requeued', reason } } },
    );
  }
  fx.push({ type: 'recordAnalytics', params: { kind: 'requeued', conversationId: chat.id, agentId: owner ?? decliner ?? null, reason } });
}

/** A transfer that did not happen: the chat stays with its owner. */
export function endTransfer(d: RouterContext, fx: Fx, chat: RoutedChat, result: 'rejected' | 'timeout' | 'cancelled'): void {
  const to = chat.pendingAgentId;
  if (to !== null) {
    const t = d.agents[to];
    if (t) t.reserved = without(t.reserved, chat.id);
  }
  Object.assign(chat, { phase: 'active', pendingAgentId: null });
  fx.push({ type: 'cancelTimer', params: { id: timerId(chat.id) } });
  if (chat.agentId !== null && to !== null) {
    fx.push({ type: 'notifyAgent', params: { agentId: chat.agentId, notice: { type: 'transfer.result', conversationId: chat.id, toAgentId: to, result } } });
  }
  fx.push({ type: 'notifyConversation', params: { conversationId: chat.id, event: { type: 'routing.transferEnded', result } } });
}

/** Forget a chat entirely (it ended), releasing everything it held. */
export function dropChat(d: RouterContext, fx: Fx, chat: RoutedChat): void {
  d.queues = remove(d.queues, chat.scope, chat.id);
  for (const a of Object.values(d.agents)) {
    if (a.chats.includes(chat.id)) a.chats = without(a.chats, chat.id);
    if (a.reserved.includes(chat.id)) {
      a.reserved = without(a.reserved, chat.id);
      fx.push({ type: 'notifyAgent', params: { agentId: a.id, notice: { type: 'chat.offerWithdrawn', conversationId: chat.id, reason: 'ended' } } });
    }
  }
  delete d.chats[chat.id];
  delete d.told[chat.id];
  fx.push(
    { type: 'cancelTimer', params: { id: timerId(chat.id) } },
    { type: 'recordAnalytics', params: { kind: 'ended', conversationId: chat.id, agentId: chat.agentId } },
  );
}

/**
 * After every handled event: auto-assign what can be assigned, tell visitors whose
 * position changed, announce changed waiting lists and widget states.
 */
export function settle(before: RouterContext, d: RouterContext, fx: Fx): void {
  if (d.settings.autoAssign) {
    for (;;) {
      const next = nextAssignment(Object.values(d.agents), d.queues, d.chats, d.settings.mode);
      if (!next) break;
      if (!isAssignable(next.agent)) break; // defensive: chooseAgent only returns assignable agents
      if (next.agent.autoAccept) assignTo(d, fx, next.chat, next.agent, 'auto');
      else offerTo(d, fx, next.chat, next.agent);
    }
  }
  const widget = widgetStates(Object.values(d.agents));
  // Positions as in positions(d.queues), walked in place: this runs after every event
  // and the queues can be long, so no map of positions is built.
  const queued = new Set<string>();
  for (const q of Object.values(d.queues)) for (const id of q) queued.add(id);
  for (const id of Object.keys(d.told)) if (!queued.has(id)) delete d.told[id];
  for (const q of Object.values(d.queues)) {
    q.forEach((id, ahead) => {
      const position = ahead + 1;
      if (d.told[id] === position) return; // before touching the chat: the draft copies what it touches
      const chat = d.chats[id];
      if (!chat) return;
      const first = d.told[id] === undefined;
      d.told[id] = position;
      fx.push({ type: 'notifyVisitor', params: { conversationId: id, visitorId: chat.visitorId, notice: { type: first ? 'chat.queued' : 'queue.position', position, ahead } } });
      if (first) {
        fx.push({ type: 'notifyConversation', params: { conversationId: id, event: { type: 'routing.queued', position, ahead, widget: widget[chat.scope] ?? 'offline' } } });
      }
    });
  }
  const scopes = new Set([...Object.keys(before.queues), ...Object.keys(d.queues)]);
  const changed = [...scopes].filter((s) => !sameIds(before.queues[s] ?? [], d.queues[s] ?? [])).sort();
  if (changed.length > 0) fx.push({ type: 'queueChanged', params: { scopes: changed } });
  for (const change of widgetChanges(d.widget, widget)) fx.push({ type: 'widgetStateChanged', params: change });
  d.widget = widget;
}
