// Random command sequences for the router property tests, and the invariants checked
// after every step. Commands name agents and chats by index so most of them hit
// something real; the rest exercise the rejection paths.
import fc from 'fast-check';
import { isAssignable, load, nextAssignment } from '../../../machines/routing/assign.js';
import { positions } from '../../../machines/routing/queue.js';
import { widgetStates } from '../../../machines/routing/widget.js';
import type { RouterContext, RouterEvent } from '../../../machines/routing/router-types.js';
import type { AgentProfile, RoutingMode } from '../../../machines/routing/types.js';
import type { AgentStatus } from '../../../protocol/codes.js';
import { ofType, type Recorded } from './router-harness.js';

export const AGENTS = ['a0', 'a1', 'a2', 'a3'];
const GROUPS = ['g1', 'g2'];

export type Cmd =
  | { k: 'presence'; a: number; status: AgentStatus; connected: boolean }
  | { k: 'request'; scope: number; last: number | null }
  | { k: 'accept'; c: number; a: number }
  | { k: 'decline'; c: number; a: number }
  | { k: 'end'; c: number }
  | { k: 'transfer'; c: number; to: number }
  | { k: 'transferAnswer'; c: number; accept: boolean; history: boolean }
  | { k: 'monitor'; sup: number; a: number; start: boolean }
  | { k: 'takeover'; sup: number; c: number }
  | { k: 'wait'; ms: number }
  | { k: 'day' };

const idx = fc.nat({ max: 7 });
const agentIdx = fc.nat({ max: AGENTS.length - 1 });
const status = fc.constantFrom<AgentStatus>('online', 'online', 'online', 'busy', 'away', 'invisible', 'offline');

export const anyCmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('presence' as const), a: agentIdx, status, connected: fc.constantFrom(true, true, true, false) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('request' as const), scope: fc.nat({ max: 5 }), last: fc.option(agentIdx) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('accept' as const), c: idx, a: agentIdx }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('decline' as const), c: idx, a: agentIdx }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('end' as const), c: idx }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('transfer' as const), c: idx, to: agentIdx }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('transferAnswer' as const), c: idx, accept: fc.boolean(), history: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('monitor' as const), sup: agentIdx, a: agentIdx, start: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('takeover' as const), sup: agentIdx, c: idx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('wait' as const), ms: fc.constantFrom(1_000, 5_000, 11_000, 31_000, 61_000) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'day' as const }) },
);

export const profileArb = (i: number): fc.Arbitrary<AgentProfile> => fc.record({
  id: fc.constant(AGENTS[i]!), name: fc.constant(AGENTS[i]!.toUpperCase()),
  groups: fc.subarray(GROUPS), canAccept: fc.boolean().map((b) => b || i < 3),
  canMonitor: fc.boolean(), isAdmin: fc.boolean(), cap: fc.integer({ min: 1, max: 3 }), autoAccept: fc.boolean(),
});
export const profilesArb = fc.tuple(...AGENTS.map((_, i) => profileArb(i)));

/** Translate a command into a router event given the chats requested so far. */
export function toEvent(cmd: Cmd, chats: string[], ctx: RouterContext, n: number): RouterEvent | { wait: number } {
  const chat = (c: number) => chats.length ? chats[c % chats.length]! : 'none';
  // Prefer chats in the phase the command is about, so most commands are meaningful.
  const inPhase = (c: number, phase: string) => {
    const xs = Object.values(ctx.chats).filter((x) => x.phase === phase).map((x) => x.id);
    return xs.length && c % 4 !== 3 ? xs[c % xs.length]! : chat(c);
  };
  const ag = (a: number) => AGENTS[a]!;
  switch (cmd.k) {
    case 'presence': return { type: 'agent.presence', agentId: ag(cmd.a), status: cmd.status, connected: cmd.connected };
    case 'request': {
      const scope = cmd.scope <= 2 ? { kind: 'company' as const } : cmd.scope <= 4 ? { kind: 'group' as const, groupId: GROUPS[cmd.scope - 3]! } : { kind: 'agent' as const, agentId: ag(n % AGENTS.length) };
      return { type: 'chat.request', conversationId: `c${n}`, visitorId: `v${n}`, scope, lastAgentId: cmd.last === null ? null : ag(cmd.last) };
    }
    case 'accept': return { type: 'chat.accept', conversationId: inPhase(cmd.c, cmd.c % 2 ? 'queued' : 'offered'), agentId: ag(cmd.a) };
    case 'decline': {
      const id = inPhase(cmd.c, 'offered');
      return { type: 'chat.decline', conversationId: id, agentId: ctx.chats[id]?.pendingAgentId ?? ag(cmd.c % 4) };
    }
    case 'end': return { type: 'chat.ended', conversationId: chat(cmd.c) };
    case 'transfer': {
      const id = inPhase(cmd.c, 'active');
      const from = ctx.chats[id]?.agentId ?? 'a0';
      const ready = Object.values(ctx.agents).filter((a) => a.id !== from && a.connected && a.status === 'online').map((a) => a.id);
      return { type: 'transfer.request', conversationId: id, fromAgentId: from, toAgentId: ready.length && cmd.to < 3 ? ready[cmd.to % ready.length]! : ag(cmd.to) };
    }
    case 'transferAnswer': {
      const id = inPhase(cmd.c, 'transferring');
      const to = ctx.chats[id]?.pendingAgentId ?? 'a1';
      return cmd.accept
        ? { type: 'transfer.accept', conversationId: id, agentId: to, includeHistory: cmd.history }
        : { type: 'transfer.reject', conversationId: id, agentId: to };
    }
    case 'monitor': return { type: cmd.start ? 'monitor.start' : 'monitor.stop', supervisorId: ag(cmd.sup), agentId: ag(cmd.a) };
    case 'takeover': {
      const id = inPhase(cmd.c, 'active');
      const watchers = ctx.monitors[ctx.chats[id]?.agentId ?? ''] ?? [];
      return { type: 'takeover', supervisorId: watchers.length && cmd.sup < 3 ? watchers[cmd.sup % watchers.length]! : ag(cmd.sup), conversationId: id };
    }
    case 'wait': return { wait: cmd.ms };
    case 'day': return { type: 'day.rollover', dayKey: `day-${n}` };
  }
}

export class Violation extends Error {}
const fail = (msg: string): never => { throw new Violation(msg); };

/** Structural invariants: one owner per chat, caps, queue ↔ phase consistency. */
export function checkStructure(ctx: RouterContext): void {
  const owner = new Map<string, string>();
  for (const a of Object.values(ctx.agents)) {
    if (load(a) > a.cap) fail(`${a.id} over cap: ${load(a)} > ${a.cap}`);
    for (const id of a.chats) {
      if (owner.has(id)) fail(`${id} owned by ${owner.get(id)} and ${a.id}`);
      owner.set(id, a.id);
      if (ctx.chats[id]?.agentId !== a.id) fail(`${id} listed under ${a.id} but chat says ${ctx.chats[id]?.agentId}`);
    }
    for (const id of a.reserved) if (ctx.chats[id]?.pendingAgentId !== a.id) fail(`${id} reserved by ${a.id} inconsistently`);
  }
  const queued = new Set(Object.values(ctx.queues).flat());
  for (const c of Object.values(ctx.chats)) {
    if ((c.phase === 'queued') !== queued.has(c.id)) fail(`${c.id} phase ${c.phase} vs queue membership`);
    if ((c.phase === 'active' || c.phase === 'transferring') !== (c.agentId !== null && owner.get(c.id) === c.agentId)) fail(`${c.id} owner mismatch`);
    if (c.pendingAgentId !== null && c.pendingAgentId === c.agentId) fail(`${c.id} transferring to its owner`);
  }
}

/** Assignments made in this step went only to agents allowed to take them at that moment. */
export function checkAssignees(after: RouterContext, effects: Recorded[]): void {
  for (const p of ofType(effects, 'persistAssignment')) {
    const a = after.agents[p.agentId]!;
    if (p.mode === 'auto' && a.status !== 'online') fail(`auto assignment of ${p.conversationId} to ${a.id} while ${a.status}`);
    if (p.mode === 'manual' && !(['online', 'busy', 'invisible'].includes(a.status) && a.connected)) fail(`manual accept by ${a.id} while ${a.status}`);
    if (p.mode === 'transfer' && a.status === 'offline') fail('transfer to offline agent');
  }
  for (const n of ofType(effects, 'notifyAgent')) {
    if (n.notice.type !== 'chat.offered') continue;
    const a = after.agents[n.agentId]!;
    if (a.status !== 'online' || !a.connected) fail(`offer to ${a.id} while ${a.status}/${a.connected}`);
  }
}

/** No queued chat could be given to anybody right now (auto-assignment on). */
export function checkNothingStuck(ctx: RouterContext): void {
  if (!ctx.settings.autoAssign) return;
  const next = nextAssignment(Object.values(ctx.agents), ctx.queues, ctx.chats, ctx.settings.mode);
  if (next) fail(`${next.chat.id} could go to ${next.agent.id} but waits`);
}

/** FIFO: in every scope, chats never requeued keep their request order. */
export function checkFifo(ctx: RouterContext, requeued: ReadonlySet<string>): void {
  for (const [scope, q] of Object.entries(ctx.queues)) {
    const tickets = q.filter((id) => !requeued.has(id)).map((id) => ctx.chats[id]!.ticket);
    for (let i = 1; i < tickets.length; i++) if (tickets[i]! < tickets[i - 1]!) fail(`scope ${scope} out of order: ${q.join(',')}`);
  }
}

/** Every queued visitor's last told position is its real position; nobody else was told one. */
export function checkPositions(ctx: RouterContext, lastTold: Map<string, number>, effects: Recorded[]): void {
  const pos = positions(ctx.queues);
  for (const n of ofType(effects, 'notifyVisitor')) {
    if (n.notice.type === 'chat.assigned') { lastTold.delete(n.conversationId); continue; }
    if (n.notice.ahead !== n.notice.position - 1) fail('ahead ≠ position − 1');
    lastTold.set(n.conversationId, n.notice.position);
  }
  for (const [id, p] of Object.entries(pos)) if (lastTold.get(id) !== p.position) fail(`${id} told ${lastTold.get(id)} but is at ${p.position}`);
  // The router's own record of what it told: exactly the queued chats (settle walks only changed queues).
  for (const [id, p] of Object.entries(ctx.told)) if (pos[id]?.position !== p) fail(`told ${id} ${p} but it is at ${pos[id]?.position}`);
  // Widget states are recomputed only when agents change: they must still be what the agents say.
  const widget = widgetStates(Object.values(ctx.agents));
  if (JSON.stringify(ctx.widget) !== JSON.stringify(widget)) fail(`widget ${JSON.stringify(ctx.widget)} but agents say ${JSON.stringify(widget)}`);
}

export function spread(xs: number[]): number {
  return xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs);
}

export const eligibleNow = (ctx: RouterContext) => Object.values(ctx.agents).filter(isAssignable);
export type { RoutingMode };
