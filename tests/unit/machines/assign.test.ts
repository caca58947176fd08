// Pure assignment functions: FIFO within a scope and least-loaded choice at decision time.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chooseAgent, eligibleAgents, isAssignable, load, nextAssignment, score } from '../../../machines/routing/assign.js';
import { enqueue, enqueueHead, positions, remove } from '../../../machines/routing/queue.js';
import type { RoutedAgent, RoutedChat, RoutingMode } from '../../../machines/routing/types.js';

const RUNS = 500;
const SCOPES = ['company', 'group:g1', 'agent:a1'];

const agentArb = (id: string): fc.Arbitrary<RoutedAgent> => fc.record({
  id: fc.constant(id), name: fc.constant(id), groups: fc.subarray(['g1', 'g2']), canAccept: fc.boolean(), canMonitor: fc.constant(false),
  isAdmin: fc.boolean(), cap: fc.integer({ min: 0, max: 4 }), autoAccept: fc.boolean(),
  status: fc.constantFrom('online', 'online', 'busy', 'away', 'invisible', 'offline'), connected: fc.boolean(),
  chats: fc.integer({ min: 0, max: 4 }).map((n) => Array.from({ length: n }, (_, i) => `${id}-x${i}`)),
  reserved: fc.constant([]), acceptedToday: fc.nat({ max: 6 }), idleSince: fc.nat({ max: 50 }),
});
const worldArb = fc.record({
  agents: fc.tuple(agentArb('a0'), agentArb('a1'), agentArb('a2')),
  chats: fc.array(fc.record({
    scope: fc.constantFrom(...SCOPES), preferred: fc.option(fc.constantFrom('a0', 'a1', 'a2')), holding: fc.boolean(),
    declinedBy: fc.subarray(['a0', 'a1', 'a2']),
  }), { maxLength: 10 }),
  mode: fc.constantFrom<RoutingMode>('service', 'sales'),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
function build(w: World) {
  const chats: Record<string, RoutedChat> = {};
  let queues = {};
  w.chats.forEach((c, i) => {
    const id = `c${i}`;
    chats[id] = { id, visitorId: `v${i}`, scope: c.scope, ticket: i, phase: 'queued', agentId: null, pendingAgentId: null,
      preferredAgentId: c.preferred, holding: c.preferred !== null && c.holding, declinedBy: c.declinedBy };
    queues = enqueue(queues, c.scope, id);
  });
  return { chats, queues };
}

describe('assignment decision (pure)', () => {
  test(`FIFO: a chat is only passed over when held for another agent or declined by the chosen one (${RUNS} runs)`, () => {
    fc.assert(fc.property(worldArb, (w) => {
      const { chats, queues } = build(w);
      const next = nextAssignment(w.agents, queues, chats, w.mode);
      if (!next) {
        for (const c of Object.values(chats)) expect(chooseAgent(w.agents, c, w.mode)).toBeNull();
        return;
      }
      expect(isAssignable(next.agent)).toBe(true);
      const q = (queues as Record<string, string[]>)[next.chat.scope]!;
      for (const id of q.slice(0, q.indexOf(next.chat.id))) {
        const ahead = chats[id]!;
        const skippedFairly = (ahead.holding && ahead.preferredAgentId !== next.agent.id) || ahead.declinedBy.includes(next.agent.id);
        expect(skippedFairly).toBe(true);
      }
    }), { numRuns: RUNS });
  });

  test(`choice: eligible, and lowest score then longest idle unless the preferred agent is eligible (${RUNS} runs)`, () => {
    fc.assert(fc.property(worldArb, (w) => {
      const { chats } = build(w);
      for (const chat of Object.values(chats)) {
        const got = chooseAgent(w.agents, chat, w.mode);
        const eligible = eligibleAgents(w.agents, chat);
        if (!got) { expect(eligible.filter((a) => !chat.holding || a.id === chat.preferredAgentId)).toEqual([]); continue; }
        expect(eligible).toContain(got);
        expect(got.status).toBe('online');
        expect(load(got)).toBeLessThan(got.cap);
        if (got.id === chat.preferredAgentId) continue;
        for (const a of eligible) {
          expect(score(got, w.mode)).toBeLessThanOrEqual(score(a, w.mode));
          if (score(a, w.mode) === score(got, w.mode)) expect(got.idleSince).toBeLessThanOrEqual(a.idleSince);
        }
      }
    }), { numRuns: RUNS });
  });

  test(`queue positions are 1-based, dense and per scope under enqueue/head/remove (${RUNS} runs)`, () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'head', 'rm'), fc.constantFrom(...SCOPES), fc.nat({ max: 6 })), { maxLength: 40, size: 'max' }), (ops) => {
      let q = {};
      const scopeOf = new Map<string, string>();
      for (const [op, scope, n] of ops) {
        const id = `c${n}`;
        const s = scopeOf.get(id) ?? scope;
        if (op === 'rm') { q = remove(q, s, id); scopeOf.delete(id); continue; }
        q = op === 'add' ? enqueue(q, s, id) : enqueueHead(q, s, id);
        scopeOf.set(id, s);
        if (op === 'head') expect(positions(q)[id]).toEqual({ position: 1, ahead: 0 });
      }
      for (const list of Object.values(q) as string[][]) {
        expect(list.length).toBeGreaterThan(0);
        expect(new Set(list).size).toBe(list.length);
        list.forEach((id, i) => expect(positions(q)[id]).toEqual({ position: i + 1, ahead: i }));
      }
    }), { numRuns: RUNS });
  });
});
