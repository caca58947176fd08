// The router's pure step function: (context, event) → (context, effects). The XState
// machine (router.machine.ts) wraps it; property tests exercise it through that machine.
import { ErrorCode } from '../../protocol/codes.js';
import { load } from './assign.js';
import type { RouterEffect } from './effects.js';
import { enqueue } from './queue.js';
import { agentOf, assignTo, chatOf, dropChat, endTransfer, Rejection, requeue, settle, timerId, type Fx, type Raw } from './router-ops.js';
import type { RouterContext, RouterEvent, RouterStartEvent } from './router-types.js';
import type { RejectTarget, RoutedAgent } from './types.js';
import { scopeKey } from './types.js';
import { inScope } from './widget.js';

export interface Step {
  context: RouterContext;
  effects: RouterEffect[];
}

/** Statuses from which an agent may take a chat deliberately (manual accept, transfer accept). */
const DELIBERATE_STATUSES = new Set(['online', 'busy', 'invisible']);

function rejectTarget(e: RouterEvent | RouterStartEvent): RejectTarget | null {
  switch (e.type) {
    case 'chat.request': return { kind: 'visitor', visitorId: e.visitorId };
    case 'agent.presence': case 'chat.accept': case 'chat.decline': case 'transfer.accept': case 'transfer.reject':
      return { kind: 'agent', agentId: e.agentId };
    case 'transfer.request': return { kind: 'agent', agentId: e.fromAgentId };
    case 'monitor.start': case 'monitor.stop': case 'takeover': return { kind: 'agent', agentId: e.supervisorId };
    case 'agent.upsert': return { kind: 'agent', agentId: e.profile.id };
    default: return null;
  }
}

/**
 * A map that one step changes in place. With copyOnRead, the first access to a key
 * copies its record (handlers replace records' arrays, never change them in place);
 * every first change keeps the original, so a rejected step rolls back exactly what
 * it touched.
 */
function journaled<T>(target: Record<string, T>, copyOnRead: boolean): { proxy: Record<string, T>; rollback(): void } {
  const originals = new Map<string, T | undefined>();
  const remember = (key: string) => {
    if (!originals.has(key)) originals.set(key, Object.hasOwn(target, key) ? target[key] : undefined);
  };
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      if (copyOnRead && typeof key === 'string' && !originals.has(key) && Object.hasOwn(t, key)) {
        const v = t[key]!;
        originals.set(key, v);
        if (typeof v === 'object' && v !== null) t[key] = { ...v };
      }
      return Reflect.get(t, key, receiver);
    },
    set(t, key, value) {
      if (typeof key === 'string') remember(key);
      return Reflect.set(t, key, value);
    },
    deleteProperty(t, key) {
      if (typeof key === 'string') remember(key);
      return Reflect.deleteProperty(t, key);
    },
  });
  const rollback = () => {
    for (const [k, v] of originals) {
      if (v === undefined) delete target[k];
      else target[k] = v;
    }
  };
  return { proxy, rollback };
}

/**
 * The draft one step works on. chats and told (as many entries as open and queued
 * chats) are changed in place through journaled proxies, so a step costs what it
 * touches, not the size of the company: the returned context shares those two maps
 * with the one before it (records are still copied on write), and a rejected step
 * is rolled back. The agent map is small and copied, so earlier snapshots keep
 * their agents. Copying everything on every event (structuredClone, or even a
 * shallow spread of a thousand chats) was most of the router's time in an
 * assignment storm.
 */
export function draftOf(ctx: RouterContext): { draft: RouterContext; raw: Raw; done(): RouterContext; rollback(): void } {
  const agentMap = { ...ctx.agents };
  const agents = journaled(agentMap, true);
  const chats = journaled(ctx.chats, true);
  const told = journaled(ctx.told, false);
  const draft: RouterContext = {
    ...ctx, settings: { ...ctx.settings }, agents: agents.proxy, chats: chats.proxy, queues: ctx.queues,
    told: told.proxy, widget: { ...ctx.widget }, monitors: { ...ctx.monitors },
  };
  return {
    draft,
    raw: { agents: agentMap, chats: ctx.chats, told: ctx.told },
    done: () => ({ ...draft, agents: agentMap, chats: ctx.chats, told: ctx.told }),
    rollback: () => { agents.rollback(); chats.rollback(); told.rollback(); },
  };
}

export function reduce(ctx: RouterContext, event: RouterEvent | RouterStartEvent): Step {
  const { draft: d, raw, done, rollback } = draftOf(ctx);
  const fx: Fx = [];
  try {
    handle(d, event, fx, raw);
  } catch (err) {
    rollback();
    if (!(err instanceof Rejection)) throw err;
    const target = rejectTarget(event);
    const ref = 'ref' in event ? event.ref : undefined;
    return {
      context: ctx,
      effects: target ? [{ type: 'reject', params: { target, code: err.code, message: err.message, ...(ref !== undefined ? { ref } : {}) } }] : [],
    };
  }
  d.clock += 1;
  settle(ctx, d, fx, raw, event.type === 'router.start');
  return { context: done(), effects: fx };
}

function mayTakeDeliberately(a: RoutedAgent): boolean {
  return a.canAccept && a.connected && DELIBERATE_STATUSES.has(a.status);
}

function handle(d: RouterContext, e: RouterEvent | RouterStartEvent, fx: Fx, raw: Raw): void {
  switch (e.type) {
    case 'router.start':
      return;
    case 'agent.upsert': {
      const prev = d.agents[e.profile.id];
      d.agents[e.profile.id] = prev
        ? { ...prev, ...e.profile }
        : { ...e.profile, status: 'offline', connected: false, chats: [], reserved: [], acceptedToday: 0, idleSince: d.clock };
      return;
    }
    case 'agent.presence': {
      const a = agentOf(d, e.agentId);
      const wasReady = a.status === 'online' && a.connected;
      a.status = e.status;
      a.connected = e.connected;
      if (!wasReady && e.status === 'online' && e.connected) a.idleSince = d.clock;
      if (e.status === 'offline') {
        // Beyond grace (or logged out): owned chats go back to the head, oldest first.
        const owned = a.chats.map((id) => d.chats[id]!).sort((x, y) => y.ticket - x.ticket);
        for (const chat of owned) requeue(d, fx, chat, 'agentOffline');
        for (const id of [...a.reserved]) {
          const chat = d.chats[id]!;
          if (chat.phase === 'offered') requeue(d, fx, chat, 'agentUnavailable');
          else endTransfer(d, fx, chat, 'cancelled');
        }
      } else if (e.status !== 'online') {
        for (const id of [...a.reserved]) {
          const chat = d.chats[id]!;
          if (chat.phase !== 'offered') continue;
          requeue(d, fx, chat, 'agentUnavailable');
          fx.push({ type: 'notifyAgent', params: { agentId: a.id, notice: { type: 'chat.offerWithdrawn', conversationId: id, reason: 'unavailable' } } });
        }
      }
      return;
    }
    case 'chat.request': {
      if (d.chats[e.conversationId]) throw new Rejection(ErrorCode.Conflict, 'conversation already requested');
      if (e.scope.kind === 'agent' && !d.agents[e.scope.agentId]) throw new Rejection(ErrorCode.NotFound, 'no such agent');
      const scope = scopeKey(e.scope);
      const last = e.lastAgentId ? d.agents[e.lastAgentId] : undefined;
      const prefer = d.settings.autoAssign && d.settings.preferLastAgent && last !== undefined && last.canAccept && inScope(last, scope);
      d.chats[e.conversationId] = {
        id: e.conversationId, visitorId: e.visitorId, scope, ticket: d.nextTicket++, phase: 'queued',
        agentId: null, pendingAgentId: null, preferredAgentId: prefer ? last!.id : null, holding: prefer, declinedBy: [],
      };
      d.queues = enqueue(d.queues, scope, e.conversationId);
      fx.push({ type: 'recordAnalytics', params: { kind: 'queued', conversationId: e.conversationId, scope } });
      if (prefer) {
        fx.push({ type: 'startTimer', params: { id: timerId(e.conversationId), delay: 'preferLastWait', event: { type: 'hold.expired', conversationId: e.conversationId } } });
      }
      return;
    }
    case 'chat.accept': {
      const a = agentOf(d, e.agentId);
      const chat = chatOf(d, e.conversationId);
      if (!a.canAccept) throw new Rejection(ErrorCode.Forbidden, 'no permission to accept chats');
      if (chat.phase === 'offered' && chat.pendingAgentId === a.id) {
        assignTo(d, fx, chat, a, 'auto');
        return;
      }
      if (chat.phase !== 'queued') throw new Rejection(ErrorCode.AlreadyTaken, 'conversation already taken');
      if (!inScope(a, chat.scope)) throw new Rejection(ErrorCode.Forbidden, 'conversation is for another group or agent');
      if (!mayTakeDeliberately(a)) throw new Rejection(ErrorCode.NotAllowedNow, `cannot accept while ${a.status}`);
      if (load(a) >= a.cap) throw new Rejection(ErrorCode.NotAllowedNow, 'at concurrent chat limit');
      assignTo(d, fx, chat, a, 'manual');
      return;
    }
    case 'chat.decline': {
      const a = agentOf(d, e.agentId);
      const chat = chatOf(d, e.conversationId);
      if (chat.phase !== 'offered' || chat.pendingAgentId !== a.id) throw new Rejection(ErrorCode.NotAllowedNow, 'conversation is not offered to you');
      requeue(d, fx, chat, 'declined', a.id);
      return;
    }
    case 'offer.expired': {
      const chat = d.chats[e.conversationId];
      if (!chat || chat.phase !== 'offered' || chat.pendingAgentId !== e.agentId) return; // stale timer
      fx.push({ type: 'notifyAgent', params: { agentId: e.agentId, notice: { type: 'chat.offerWithdrawn', conversationId: chat.id, reason: 'timeout' } } });
      requeue(d, fx, chat, 'offerTimeout', e.agentId);
      return;
    }
    case 'hold.expired': {
      const chat = d.chats[e.conversationId];
      if (chat && chat.phase === 'queued') chat.holding = false;
      return;
    }
    case 'chat.ended': {
      const chat = d.chats[e.conversationId];
      if (chat) dropChat(d, fx, chat, raw.agents); // idempotent: the conversation may end twice (both sides)
      return;
    }
    case 'settings.update':
      d.settings = { ...d.settings, ...e.settings };
      return;
    case 'day.rollover':
      d.dayKey = e.dayKey;
      for (const a of Object.values(d.agents)) a.acceptedToday = 0;
      return;
    default:
      handleSupervision(d, e, fx);
  }
}

type SupervisionEvent = Extract<RouterEvent, { type: 'transfer.request' | 'transfer.accept' | 'transfer.reject' | 'transfer.expired' | 'monitor.start' | 'monitor.stop' | 'takeover' }>;

/** May `viewer` see `target` as a transfer destination? Normal agents never see invisible admins. */
export function canSee(viewer: RoutedAgent, target: RoutedAgent): boolean {
  return target.status !== 'invisible' || viewer.isAdmin;
}

/** Agents `agentId` may transfer to right now (D5): online (or invisible, for admins), connected, under cap. */
export function transferTargets(ctx: RouterContext, agentId: string): RoutedAgent[] {
  const me = ctx.agents[agentId];
  if (!me) return [];
  return Object.values(ctx.agents).filter((t) =>
    t.id !== agentId && canSee(me, t) && (t.status === 'online' || t.status === 'invisible') && t.connected && t.canAccept && load(t) < t.cap);
}

function handleSupervision(d: RouterContext, e: SupervisionEvent, fx: Fx): void {
  switch (e.type) {
    case 'transfer.request': {
      const from = agentOf(d, e.fromAgentId);
      const chat = chatOf(d, e.conversationId);
      if (chat.agentId !== from.id) throw new Rejection(ErrorCode.Forbidden, 'not your conversation');
      if (chat.phase !== 'active') throw new Rejection(ErrorCode.Conflict, 'a transfer is already pending');
      const to = d.agents[e.toAgentId];
      if (!to || !canSee(from, to)) throw new Rejection(ErrorCode.NotFound, 'no such agent');
      if (!transferTargets(d, from.id).some((t) => t.id === to.id)) throw new Rejection(ErrorCode.NotAllowedNow, 'agent is not available for a transfer');
      to.reserved = [...to.reserved, chat.id];
      Object.assign(chat, { phase: 'transferring', pendingAgentId: to.id });
      fx.push(
        { type: 'startTimer', params: { id: timerId(chat.id), delay: 'transferTimeout', event: { type: 'transfer.expired', conversationId: chat.id, toAgentId: to.id } } },
        { type: 'notifyAgent', params: { agentId: to.id, notice: { type: 'transfer.offered', conversationId: chat.id, fromAgentId: from.id, timeoutMs: d.settings.transferTimeoutMs } } },
        { type: 'notifyConversation', params: { conversationId: chat.id, event: { type: 'routing.transferStarted', toAgentId: to.id } } },
        { type: 'recordAnalytics', params: { kind: 'transfer_requested', conversationId: chat.id, fromAgentId: from.id, toAgentId: to.id } },
      );
      return;
    }
    case 'transfer.accept': case 'transfer.reject': {
      const a = agentOf(d, e.agentId);
      const chat = chatOf(d, e.conversationId);
      if (chat.phase !== 'transferring' || chat.pendingAgentId !== a.id) throw new Rejection(ErrorCode.NotAllowedNow, 'no transfer pending for you');
      const from = chat.agentId;
      if (e.type === 'transfer.reject') return endTransfer(d, fx, chat, 'rejected');
      assignTo(d, fx, chat, a, 'transfer', e.includeHistory);
      if (from !== null) fx.push({ type: 'notifyAgent', params: { agentId: from, notice: { type: 'transfer.result', conversationId: chat.id, toAgentId: a.id, result: 'accepted' } } });
      return;
    }
    case 'transfer.expired': {
      const chat = d.chats[e.conversationId];
      if (chat && chat.phase === 'transferring' && chat.pendingAgentId === e.toAgentId) endTransfer(d, fx, chat, 'timeout');
      return;
    }
    case 'monitor.start': case 'monitor.stop': {
      const sup = agentOf(d, e.supervisorId);
      if (!sup.canMonitor) throw new Rejection(ErrorCode.Forbidden, 'no permission to monitor');
      const target = agentOf(d, e.agentId, ErrorCode.NotFound);
      if (target.id === sup.id) throw new Rejection(ErrorCode.BadRequest, 'cannot monitor yourself');
      const watching = d.monitors[target.id] ?? [];
      const start = e.type === 'monitor.start';
      if (start === watching.includes(sup.id)) throw new Rejection(start ? ErrorCode.Conflict : ErrorCode.NotFound, start ? 'already monitoring' : 'not monitoring');
      const next = start ? [...watching, sup.id] : watching.filter((s) => s !== sup.id);
      if (next.length > 0) d.monitors[target.id] = next;
      else delete d.monitors[target.id];
      fx.push({ type: 'monitorChanged', params: { supervisorId: sup.id, agentId: target.id, active: start, conversationIds: [...target.chats] } });
      for (const id of target.chats) fx.push({ type: 'notifyConversation', params: { conversationId: id, event: { type: 'routing.watchers', watchers: next } } });
      return;
    }
    case 'takeover': {
      const sup = agentOf(d, e.supervisorId);
      if (!sup.canMonitor) throw new Rejection(ErrorCode.Forbidden, 'no permission to take over');
      const chat = chatOf(d, e.conversationId);
      if (chat.phase !== 'active' || chat.agentId === null) throw new Rejection(ErrorCode.NotAllowedNow, 'conversation is not live with an agent');
      if (!(d.monitors[chat.agentId] ?? []).includes(sup.id)) throw new Rejection(ErrorCode.Forbidden, 'monitor the agent first');
      if (!sup.connected || sup.status === 'offline') throw new Rejection(ErrorCode.NotAllowedNow, 'not connected');
      if (load(sup) >= sup.cap) throw new Rejection(ErrorCode.NotAllowedNow, 'at concurrent chat limit');
      assignTo(d, fx, chat, sup, 'takeover');
      return;
    }
  }
}
