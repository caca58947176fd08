// Mutations shared by the router's event handlers. They work on a draft (a clone of
// the context made by reduce()) and append effects; only reduce() is exported onwards.
import { ErrorCode } from '../../protocol/codes.js';
import { isAssignable, nextAssignment } from './assign.js';
import type { AssignmentMode, RequeueReason, RouterEffect } from './effects.js';
import { enqueueHead, remove, type Queues } from './queue.js';
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
export function dropChat(d: RouterContext, fx: Fx, chat: RoutedChat, rawAgents: Readonly<Record<string, RoutedAgent>> = d.agents): void {
  d.queues = remove(d.queues, chat.scope, chat.id);
  // Read without the draft (a read through it copies the record); change through it.
  for (const held of Object.values(rawAgents)) {
    if (!held.chats.includes(chat.id) && !held.reserved.includes(chat.id)) continue;
    const a = d.agents[held.id]!;
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
 * The step's maps without their journaling proxies, for reads that must not copy
 * records: the agents map of the draft (current records) and the chats and told
 * maps that the step changes in place. Written only through the draft.
 */
export interface Raw {
  agents: Readonly<Record<string, RoutedAgent>>;
  chats: Readonly<Record<string, RoutedChat>>;
  told: Readonly<Record<string, number>>;
}

/**
 * After every handled event: auto-assign what can be assigned, tell visitors whose
 * position changed, announce changed waiting lists and widget states. It costs
 * what changed: reads go to the raw maps (a read through the draft copies the
 * record), positions are walked only in the queues this step replaced (queues are
 * immutable arrays: an unchanged scope keeps its array), and widget states are
 * recomputed only when an agent's status or groups changed. `full`: walk every
 * queue (the first step after a restore, when nobody has been told anything).
 */
export function settle(before: RouterContext, d: RouterContext, fx: Fx, raw: Raw, full = false): void {
  if (d.settings.autoAssign) {
    for (;;) {
      const next = nextAssignment(Object.values(raw.agents), d.queues, raw.chats, d.settings.mode);
      if (!next) break;
      if (!isAssignable(next.agent)) break; // defensive: chooseAgent only returns assignable agents
      // Through the draft: the records it changes are copies (earlier snapshots keep theirs).
      const chat = d.chats[next.chat.id]!;
      const agent = d.agents[next.agent.id]!;
      if (agent.autoAccept) assignTo(d, fx, chat, agent, 'auto');
      else offerTo(d, fx, chat, agent);
    }
  }
  const widget = full || agentsLookChanged(before.agents, raw.agents) ? widgetStates(Object.values(raw.agents)) : d.widget;
  const scopes = full ? new Set([...Object.keys(before.queues), ...Object.keys(d.queues)]) : changedScopes(before.queues, d.queues);
  // Visitors no longer queued in a changed scope are forgotten (a chat waits in its own scope only).
  for (const scope of scopes) {
    const now = new Set(d.queues[scope] ?? []);
    for (const id of before.queues[scope] ?? []) if (!now.has(id) && raw.told[id] !== undefined) delete d.told[id];
  }
  if (full) {
    const queued = new Set<string>();
    for (const q of Object.values(d.queues)) for (const id of q) queued.add(id);
    for (const id of Object.keys(raw.told)) if (!queued.has(id)) delete d.told[id];
  }
  // Positions as in positions(d.queues), walked in place: the queues can be long, so no map is built.
  for (const scope of scopes) {
    (d.queues[scope] ?? []).forEach((id, ahead) => {
      const position = ahead + 1;
      if (raw.told[id] === position) return;
      const chat = raw.chats[id];
      if (!chat) return;
      const first = raw.told[id] === undefined;
      d.told[id] = position;
      fx.push({ type: 'notifyVisitor', params: { conversationId: id, visitorId: chat.visitorId, notice: { type: first ? 'chat.queued' : 'queue.position', position, ahead } } });
      if (first) {
        fx.push({ type: 'notifyConversation', params: { conversationId: id, event: { type: 'routing.queued', position, ahead, widget: widget[chat.scope] ?? 'offline' } } });
      }
    });
  }
  const changed = [...scopes].filter((s) => !sameIds(before.queues[s] ?? [], d.queues[s] ?? [])).sort();
  if (changed.length > 0) fx.push({ type: 'queueChanged', params: { scopes: changed } });
  if (widget !== d.widget) {
    for (const change of widgetChanges(d.widget, widget)) fx.push({ type: 'widgetStateChanged', params: change });
    d.widget = widget;
  }
}

/** Scopes whose queue array this step replaced (added, removed or changed). */
function changedScopes(before: Queues, after: Queues): Set<string> {
  const out = new Set<string>();
  if (before === after) return out;
  for (const s of Object.keys(after)) if (before[s] !== after[s]) out.add(s);
  for (const s of Object.keys(before)) if (!(s in after)) out.add(s);
  return out;
}

/** Could the widget states differ? Only an agent added or removed, or a status or groups change, moves them. */
function agentsLookChanged(before: Readonly<Record<string, RoutedAgent>>, after: Readonly<Record<string, RoutedAgent>>): boolean {
  let n = 0;
  for (const id in after) {
    n++;
    const a = after[id]!;
    const b = before[id];
    if (b === a) continue;
    if (!b || b.status !== a.status || b.groups !== a.groups) return true;
  }
  for (const _ in before) n--;
  return n !== 0;
}
