import { describe, expect, test } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import {
  conversationMachine, conversationState, type ConversationInput, type PersistMessageParams,
} from '../../../machines/conversation/conversation.machine.js';
import type { RejectParams } from '../../../machines/routing/types.js';
import { afterEvent, replayShortestPaths } from './paths.js';

const input: ConversationInput = {
  companyId: 'co1', conversationId: 'c1', visitorId: 'v1',
  texts: { welcome: 'Welcome!', waiting: 'Please wait', busy: 'All agents are busy', closing: 'Bye' },
  autoReplies: { a1: { text: 'One moment please', afterMs: 30_000, maxTimes: 2 } },
  visitorGraceMs: 60_000,
};
const assigned = (agentId: string, over: object = {}) =>
  ({ type: 'routing.assigned' as const, agentId, agentName: agentId.toUpperCase(), mode: 'auto' as const, includeHistory: false, watchers: [], ...over });

function start(over: Partial<ConversationInput> = {}) {
  const clock = new SimulatedClock();
  const messages: PersistMessageParams[] = [];
  const rejects: RejectParams[] = [];
  const ended: unknown[] = [];
  const shared: unknown[] = [];
  const machine = conversationMachine.provide({
    actions: {
      persistMessage: (_, p) => { messages.push(p); },
      reject: (_, p) => { rejects.push(p); },
      conversationEnded: (_, p) => { ended.push(p); },
      shareHistory: (_, p) => { shared.push(p); },
    },
  });
  const actor = createActor(machine, { input: { ...input, ...over }, clock });
  actor.start();
  const state = () => conversationState(actor.getSnapshot().value);
  return { actor, clock, messages, rejects, ended, shared, state, kinds: () => messages.map((m) => m.kind) };
}

describe('conversation (D5, D6, D8, D9)', () => {
  test('D9 waiting text while queued, busy text when the widget is busy, welcome on connect', () => {
    const c = start();
    c.actor.send({ type: 'routing.queued', position: 2, ahead: 1, widget: 'online' });
    c.actor.send({ type: 'routing.queued', position: 1, ahead: 0, widget: 'busy' });
    c.actor.send(assigned('a1'));
    expect(c.kinds()).toEqual(['waiting', 'busy', 'welcome']);
    expect(c.state()).toBe('active');
  });

  test('D9 empty system texts are not sent', () => {
    const c = start({ texts: { welcome: '', waiting: ' ', busy: '', closing: '' } });
    c.actor.send({ type: 'routing.queued', position: 1, ahead: 0, widget: 'online' });
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'visitor.end' });
    expect(c.messages).toEqual([]);
  });

  test('B4 auto-reply after N seconds without an agent reply, at most M times', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    for (let i = 0; i < 3; i++) {
      c.actor.send({ type: 'visitor.message', text: `hello ${i}`, clientMsgId: `m${i}` });
      c.clock.increment(30_000);
    }
    expect(c.kinds().filter((k) => k === 'autoReply')).toHaveLength(2);
  });

  test('B4 an agent reply in time prevents the auto-reply', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'visitor.message', text: 'hi', clientMsgId: 'm1' });
    c.clock.increment(29_000);
    c.actor.send({ type: 'agent.message', agentId: 'a1', text: 'hello', clientMsgId: 'x1' });
    c.clock.increment(60_000);
    expect(c.kinds()).toEqual(['welcome', 'chat', 'chat']);
  });

  test('D5 transfer: transferring while pending, new owner with history on accept', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'routing.transferStarted', toAgentId: 'a2' });
    expect(c.state()).toBe('transferring');
    c.actor.send({ type: 'agent.message', agentId: 'a1', text: 'still me', clientMsgId: 'x1' });
    expect(c.messages.at(-1)?.senderId).toBe('a1');
    c.actor.send(assigned('a2', { mode: 'transfer', includeHistory: true }));
    expect(c.state()).toBe('active');
    expect(c.shared).toEqual([{ conversationId: 'c1', agentId: 'a2' }]);
    c.actor.send({ type: 'agent.message', agentId: 'a1', text: 'old owner', clientMsgId: 'x2' });
    expect(c.rejects.at(-1)).toMatchObject({ code: 'forbidden', target: { kind: 'agent', agentId: 'a1' } });
  });

  test('D5 a rejected or timed-out transfer leaves the chat with its agent', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'routing.transferStarted', toAgentId: 'a2' });
    c.actor.send({ type: 'routing.transferEnded', result: 'timeout' });
    expect(c.state()).toBe('active');
    expect(c.actor.getSnapshot().context.agentId).toBe('a1');
  });

  test('D6 monitoring supervisors see both sides; a whisper reaches agents only', () => {
    const c = start();
    c.actor.send(assigned('a1', { watchers: ['s1'] }));
    c.actor.send({ type: 'visitor.message', text: 'hi', clientMsgId: 'm1' });
    expect(c.messages.at(-1)?.audience).toEqual({ visitor: true, agentIds: ['a1', 's1'] });
    c.actor.send({ type: 'whisper', supervisorId: 's1', text: 'offer a discount', clientMsgId: 'w1' });
    expect(c.messages.at(-1)).toMatchObject({ kind: 'whisper', audience: { visitor: false, agentIds: ['a1', 's1'] } });
    c.actor.send({ type: 'routing.watchers', watchers: [] });
    const before = c.messages.length;
    c.actor.send({ type: 'whisper', supervisorId: 's1', text: 'again', clientMsgId: 'w2', ref: 'r9' });
    expect(c.messages).toHaveLength(before);
    expect(c.rejects.at(-1)).toMatchObject({ code: 'forbidden', ref: 'r9' });
  });

  test('D6 a supervisor of another company (not a watcher) cannot whisper, state unchanged', () => {
    const c = start();
    c.actor.send(assigned('a1', { watchers: ['s1'] }));
    const snap = c.actor.getSnapshot();
    c.actor.send({ type: 'whisper', supervisorId: 'other-co-sup', text: 'x', clientMsgId: 'w1' });
    expect(c.rejects).toHaveLength(1);
    expect(c.actor.getSnapshot().value).toEqual(snap.value);
    expect(c.actor.getSnapshot().context).toEqual(snap.context);
  });

  test('D8 either side ends; the closing text is sent; only the owner agent may end', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'agent.end', agentId: 'a2' });
    expect(c.state()).toBe('active');
    expect(c.rejects).toHaveLength(1);
    c.actor.send({ type: 'agent.end', agentId: 'a1' });
    expect(c.state()).toBe('ended');
    expect(c.ended).toEqual([{ conversationId: 'c1', by: 'agent', agentId: 'a1' }]);
    expect(c.kinds().at(-1)).toBe('closing');
    expect(c.actor.getSnapshot().status).toBe('done');
  });

  test('D8 a visitor gone beyond the grace ends the chat; a reconnect within it does not', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'visitor.disconnected' });
    c.clock.increment(59_000);
    c.actor.send({ type: 'visitor.reconnected' });
    c.clock.increment(120_000);
    expect(c.state()).toBe('active');
    c.actor.send({ type: 'visitor.disconnected' });
    c.clock.increment(60_000);
    expect(c.ended).toEqual([{ conversationId: 'c1', by: 'system', agentId: 'a1' }]);
  });

  test('agent dropped beyond grace: back to queued, then a new agent gets it', () => {
    const c = start();
    c.actor.send(assigned('a1'));
    c.actor.send({ type: 'routing.requeued', reason: 'agentOffline' });
    expect(c.state()).toBe('queued');
    c.actor.send({ type: 'agent.message', agentId: 'a1', text: 'late', clientMsgId: 'x' });
    expect(c.rejects).toHaveLength(1);
    c.actor.send(assigned('a2'));
    expect(c.actor.getSnapshot().context.agentId).toBe('a2');
  });
});

describe('conversation path coverage (xstate/graph)', () => {
  test('every state is reachable and each replayed path ends where the model says', () => {
    const events = [
      { type: 'routing.queued', position: 1, ahead: 0, widget: 'online' },
      assigned('a1'), assigned('a2', { mode: 'transfer', includeHistory: true }),
      { type: 'routing.requeued', reason: 'agentOffline' },
      { type: 'routing.transferStarted', toAgentId: 'a2' }, { type: 'routing.transferEnded', result: 'rejected' },
      { type: 'visitor.message', text: 'hi', clientMsgId: null },
      { type: 'agent.message', agentId: 'a1', text: 'hello', clientMsgId: null },
      { type: 'agent.end', agentId: 'a1' }, { type: 'visitor.end' },
      afterEvent('autoReply', 'conversation.live.reply.awaiting'),
    ];
    const owners: Record<string, string | null> = {};
    const reached = replayShortestPaths({
      machine: conversationMachine, input, events, delays: { autoReply: 30_000, visitorGrace: 60_000 },
      serializeState: (s) => JSON.stringify([s.value, s.context.agentId, s.context.autoRepliesSent]),
      check: (actor, key) => {
        const ctx = actor.getSnapshot().context;
        owners[key] = ctx.agentId;
        // live ⇔ someone owns the chat; queued ⇔ nobody does.
        if (key === '"queued"') expect(ctx.agentId).toBeNull();
        else if (key !== '"ended"') expect(ctx.agentId).not.toBeNull();
        expect(ctx.autoRepliesSent).toBeLessThanOrEqual(2);
      },
    });
    const expected = ['"queued"', '"ended"', ...['active', 'transferring'].flatMap((o) => ['answered', 'awaiting'].map((r) => JSON.stringify({ live: { owner: o, reply: r } })))];
    expect([...reached].sort()).toEqual(expected.sort());
  });
});
