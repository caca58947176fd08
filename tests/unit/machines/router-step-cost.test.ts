// The router's cheap step (performance work on the assignment storm) must not change
// what it decides: widgetStates() in one pass equals the per-scope definition; a
// rejected step leaves the context exactly as it was (its in-place changes to chats
// and told are rolled back); earlier snapshots keep their agents and chat records.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { inScope, widgetScopes, widgetState, widgetStates } from '../../../machines/routing/widget.js';
import { reduce } from '../../../machines/routing/router-core.js';
import type { RoutedAgent } from '../../../machines/routing/types.js';
import type { RouterEvent } from '../../../machines/routing/router-types.js';
import { profile, startRouter } from './router-harness.js';

const agentArb = (id: string): fc.Arbitrary<RoutedAgent> => fc.record({
  id: fc.constant(id), name: fc.constant(id), groups: fc.subarray(['g1', 'g2', 'g3']), canAccept: fc.boolean(), canMonitor: fc.constant(false),
  isAdmin: fc.boolean(), cap: fc.integer({ min: 0, max: 4 }), autoAccept: fc.boolean(),
  status: fc.constantFrom('online', 'busy', 'away', 'invisible', 'offline'), connected: fc.boolean(),
  chats: fc.constant([]), reserved: fc.constant([]), acceptedToday: fc.nat({ max: 6 }), idleSince: fc.nat({ max: 50 }),
});

describe('router step cost', () => {
  test('widgetStates equals widgetState of the agents in each scope', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agentArb(`a${i}`)))), (agents) => {
      const reference = Object.fromEntries(widgetScopes(agents).map((s) => [s, widgetState(agents.filter((a) => inScope(a, s)))]));
      expect(widgetStates(agents)).toEqual(reference);
      expect(Object.keys(widgetStates(agents))).toEqual(Object.keys(reference));
    }), { numRuns: 300, seed: 7 });
  });

  test('a rejected step is rolled back; earlier snapshots keep their agents and chat records', () => {
    const r = startRouter({ settings: { autoAssign: false } });
    r.online('a1', { cap: 2, groups: ['g1'] });
    r.online('a2', { cap: 1, autoAccept: false });
    const events: Array<[RouterEvent, 'ok' | 'rejected']> = [
      [{ type: 'chat.request', conversationId: 'c1', visitorId: 'v1', scope: { kind: 'company' } }, 'ok'],
      [{ type: 'chat.request', conversationId: 'c2', visitorId: 'v2', scope: { kind: 'company' } }, 'ok'],
      [{ type: 'chat.request', conversationId: 'c3', visitorId: 'v3', scope: { kind: 'group', groupId: 'g1' } }, 'ok'],
      [{ type: 'chat.request', conversationId: 'c4', visitorId: 'v4', scope: { kind: 'company' } }, 'ok'],
      [{ type: 'chat.accept', conversationId: 'c4', agentId: 'a2' }, 'ok'],
      [{ type: 'chat.accept', conversationId: 'c2', agentId: 'a1' }, 'ok'],
      [{ type: 'chat.accept', conversationId: 'c1', agentId: 'a2' }, 'rejected'],
      [{ type: 'agent.presence', agentId: 'a1', status: 'offline', connected: false }, 'ok'],
      [{ type: 'chat.request', conversationId: 'c1', visitorId: 'v1', scope: { kind: 'company' } }, 'rejected'],
      [{ type: 'agent.upsert', profile: profile('a3') }, 'ok'],
      [{ type: 'chat.ended', conversationId: 'c2' }, 'ok'],
    ];
    for (const [e, outcome] of events) {
      const before = r.ctx();
      const frozen = structuredClone(before);
      const records = { agents: { ...before.agents }, chats: { ...before.chats } };
      if (outcome === 'rejected') {
        // On the live context: whatever the step changed in place must be undone.
        const step = reduce(before, e);
        expect(step.effects.map((f) => f.type)).toEqual(['reject']);
        expect(step.context).toBe(before);
        expect(before).toEqual(frozen);
      }
      r.send(e);
      expect(r.take().some((f) => f.type === 'reject')).toBe(outcome === 'rejected');
      // Same decision as a step on an untouched copy of the state before.
      expect(r.ctx()).toEqual(outcome === 'rejected' ? frozen : reduce(structuredClone(frozen), e).context);
      // Earlier snapshot: its agents and the chat records it held did not change.
      expect(before.agents).toEqual(frozen.agents);
      for (const [id, agent] of Object.entries(records.agents)) expect(agent).toEqual(frozen.agents[id]);
      for (const [id, chat] of Object.entries(records.chats)) expect(chat).toEqual(frozen.chats[id]);
    }
  });
});
