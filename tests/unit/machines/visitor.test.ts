import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { emptyCounters, countInvite, limit, nextInvite, type InviteRule } from '../../../machines/visitor/auto-invite.js';
import { visitorMachine, type ShowInviteParams, type RequestChatParams } from '../../../machines/visitor/visitor.machine.js';

const rule = (over: Partial<InviteRule> = {}): InviteRule => ({
  id: 'r1', mode: 'repeat', countPer: 'visitor', delayMs: 5_000, displayMs: 10_000, repeatCount: 3, intervalMs: 20_000,
  expiresAt: null, greeting: 'Hello, visitor from {region}!', scope: { kind: 'group', groupId: 'sales' }, kind: 'popup', ...over,
});

function start(rules: InviteRule[]) {
  const clock = new SimulatedClock();
  const shown: ShowInviteParams[] = [];
  const requested: RequestChatParams[] = [];
  const actor = createActor(visitorMachine.provide({
    actions: { showInvite: (_, p) => { shown.push(p); }, requestChat: (_, p) => { requested.push(p); } },
  }), { input: { companyId: 'co1', visitorId: 'v1', region: 'Shanghai', rules }, clock });
  actor.start();
  return { actor, clock, shown, requested };
}

describe('visitor and auto-invite (D7)', () => {
  test('D7 auto-invite after the delay, greeting names the region, accept requests a chat in the bound group', () => {
    const v = start([rule()]);
    v.actor.send({ type: 'page.view', url: '/a', at: 1000 });
    v.clock.increment(4_999);
    expect(v.shown).toHaveLength(0);
    v.clock.increment(1);
    expect(v.shown).toEqual([{ visitorId: 'v1', ruleId: 'r1', kind: 'popup', greeting: 'Hello, visitor from Shanghai!', invitedBy: null }]);
    v.actor.send({ type: 'invite.accept' });
    expect(v.actor.getSnapshot().value).toBe('chatting');
    expect(v.requested).toEqual([{ visitorId: 'v1', scope: { kind: 'group', groupId: 'sales' }, ruleId: 'r1', invitedBy: null }]);
  });

  test('D7 repeated invitations: display time, interval, repeat count per visitor', () => {
    const v = start([rule()]);
    v.actor.send({ type: 'page.view', url: '/a', at: 0 });
    v.clock.increment(5_000); // 1st shown
    v.clock.increment(10_000); // ignored
    v.clock.increment(20_000); // 2nd
    v.clock.increment(10_000);
    v.actor.send({ type: 'page.view', url: '/b', at: 50_000 }); // per-visitor count survives a page change
    v.clock.increment(20_000); // 3rd
    v.clock.increment(10_000);
    v.clock.increment(1_000_000);
    expect(v.shown).toHaveLength(3);
  });

  test('D7 "once per page" fires again on a new page; expired rules never fire; a decline stops the rule', () => {
    const v = start([rule({ id: 'p', mode: 'once', countPer: 'page' }), rule({ id: 'old', expiresAt: 10 })]);
    v.actor.send({ type: 'page.view', url: '/a', at: 100 });
    v.clock.increment(100_000);
    v.actor.send({ type: 'page.view', url: '/b', at: 200 });
    v.clock.increment(5_000);
    expect(v.shown.map((s) => s.ruleId)).toEqual(['p', 'p']);
    v.actor.send({ type: 'invite.decline' });
    v.actor.send({ type: 'page.view', url: '/c', at: 300 });
    v.clock.increment(100_000);
    expect(v.shown).toHaveLength(2);
  });

  test('D7 an agent invites by hand (active chat), visitor leaves', () => {
    const v = start([]);
    v.actor.send({ type: 'agent.invite', agentId: 'a1', kind: 'chat', greeting: 'Can I help?' });
    expect(v.shown.at(-1)).toMatchObject({ kind: 'chat', invitedBy: 'a1' });
    v.actor.send({ type: 'invite.accept' });
    expect(v.requested.at(-1)?.scope).toEqual({ kind: 'agent', agentId: 'a1' });
    v.actor.send({ type: 'visitor.leave' });
    expect(v.actor.getSnapshot().status).toBe('done');
  });

  test(`auto-invite never exceeds a rule's limit nor fires an expired rule (500 runs)`, () => {
    fc.assert(fc.property(
      fc.array(fc.record({ mode: fc.constantFrom<'once' | 'repeat'>('once', 'repeat'), countPer: fc.constantFrom<'visitor' | 'page'>('visitor', 'page'), repeatCount: fc.nat({ max: 4 }), expiresAt: fc.option(fc.nat({ max: 100 })) }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.oneof(fc.constant('fire' as const), fc.constant('page' as const)), { maxLength: 40, size: 'max' }),
      fc.nat({ max: 100 }),
      (specs, script, now) => {
        const rules = specs.map((s, i) => rule({ ...s, id: `r${i}` }));
        let c = emptyCounters();
        for (const step of script) {
          if (step === 'page') { c = { ...c, perPage: {} }; continue; }
          const next = nextInvite(rules, c, now);
          if (!next) continue;
          expect(next.rule.expiresAt === null || now < next.rule.expiresAt).toBe(true);
          c = countInvite(next.rule, c);
          const n = next.rule.countPer === 'visitor' ? c.perVisitor[next.rule.id]! : c.perPage[next.rule.id]!;
          expect(n).toBeLessThanOrEqual(limit(next.rule));
        }
      }), { numRuns: 500 });
  });
});
