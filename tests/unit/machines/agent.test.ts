import { describe, expect, test } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { agentMachine, type AgentInput, type ReportPresenceParams } from '../../../machines/agent/agent.machine.js';
import type { RejectParams } from '../../../machines/routing/types.js';
import { afterEvent, replayShortestPaths } from './paths.js';

const base: AgentInput = { companyId: 'co1', agentId: 'a1', canAccept: true, isAdmin: false, idleAwayMs: 300_000, graceMs: 60_000 };

function start(over: Partial<AgentInput> = {}) {
  const clock = new SimulatedClock();
  const reports: ReportPresenceParams[] = [];
  const rejects: RejectParams[] = [];
  const machine = agentMachine.provide({
    actions: { reportPresence: (_, p) => { reports.push(p); }, reject: (_, p) => { rejects.push(p); } },
  });
  const actor = createActor(machine, { input: { ...base, ...over }, clock });
  actor.start();
  return { actor, clock, reports, rejects, last: () => reports.at(-1) };
}

describe('agent presence (B1, B2)', () => {
  test('B1 opening the console makes a permitted agent online and reports it', () => {
    const a = start();
    expect(a.last()).toEqual({ agentId: 'a1', status: 'offline', connected: false, sockets: 0, autoAway: false });
    a.actor.send({ type: 'socket.open' });
    expect(a.actor.getSnapshot().value).toEqual({ present: 'online' });
    expect(a.last()).toMatchObject({ status: 'online', connected: true, sockets: 1 });
  });

  test('B1 an agent without the accept permission can only be away', () => {
    const a = start({ canAccept: false });
    a.actor.send({ type: 'socket.open' });
    expect(a.last()?.status).toBe('away');
    for (const status of ['online', 'busy', 'invisible'] as const) {
      a.actor.send({ type: 'status.set', status, ref: 'r1' });
      expect(a.rejects.at(-1)).toMatchObject({ code: 'forbidden', ref: 'r1', target: { kind: 'agent', agentId: 'a1' } });
      expect(a.actor.getSnapshot().value).toEqual({ present: 'away' });
    }
  });

  test('B1 invisible is for admins only', () => {
    const agent = start();
    agent.actor.send({ type: 'socket.open' });
    agent.actor.send({ type: 'status.set', status: 'invisible' });
    expect(agent.rejects).toHaveLength(1);
    expect(agent.actor.getSnapshot().value).toEqual({ present: 'online' });
    const admin = start({ isAdmin: true });
    admin.actor.send({ type: 'socket.open' });
    admin.actor.send({ type: 'status.set', status: 'invisible' });
    expect(admin.last()).toMatchObject({ status: 'invisible', connected: true });
  });

  test('B2 auto-away after the idle time; activity postpones it', () => {
    const a = start({ idleAwayMs: 1000 });
    a.actor.send({ type: 'socket.open' });
    a.clock.increment(900);
    a.actor.send({ type: 'activity' });
    a.clock.increment(900);
    expect(a.last()?.status).toBe('online');
    a.clock.increment(100);
    expect(a.last()).toMatchObject({ status: 'away', autoAway: true });
  });

  test('B2 a changed idle time applies to a present agent at once, counted from the change', () => {
    const a = start({ idleAwayMs: 0 });
    a.actor.send({ type: 'socket.open' });
    a.clock.increment(5000);
    a.actor.send({ type: 'idle.set', idleAwayMs: 1000 });
    a.clock.increment(900);
    expect(a.last()?.status).toBe('online');
    a.clock.increment(100);
    expect(a.last()).toMatchObject({ status: 'away', autoAway: true });
  });

  test('B2 auto-away disabled with idleAwayMs 0', () => {
    const a = start({ idleAwayMs: 0 });
    a.actor.send({ type: 'socket.open' });
    a.clock.increment(10_000_000);
    expect(a.last()?.status).toBe('online');
  });

  test('several tabs are one agent; only the last closed tab starts the grace', () => {
    const a = start();
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'status.set', status: 'busy' });
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'socket.close' });
    expect(a.actor.getSnapshot().value).toEqual({ present: 'busy' });
    expect(a.actor.getSnapshot().context.sockets).toBe(1);
    a.actor.send({ type: 'socket.close' });
    expect(a.last()).toMatchObject({ status: 'busy', connected: false, sockets: 0 });
  });

  test('a dropped agent keeps its status during the grace and comes back to it', () => {
    const a = start({ graceMs: 60_000 });
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'status.set', status: 'busy' });
    a.actor.send({ type: 'socket.close' });
    a.clock.increment(59_999);
    a.actor.send({ type: 'socket.open' });
    expect(a.actor.getSnapshot().value).toEqual({ present: 'busy' });
    expect(a.last()).toMatchObject({ status: 'busy', connected: true });
  });

  test('beyond the grace the agent is offline', () => {
    const a = start({ graceMs: 60_000 });
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'socket.close' });
    a.clock.increment(60_000);
    expect(a.actor.getSnapshot().value).toBe('offline');
    expect(a.last()).toMatchObject({ status: 'offline', connected: false });
  });

  test('restored after a restart: starts in grace with its last status', () => {
    const a = start({ restoreStatus: 'online' });
    expect(a.actor.getSnapshot().value).toBe('grace');
    expect(a.last()).toMatchObject({ status: 'online', connected: false });
    a.clock.increment(60_000);
    expect(a.last()).toMatchObject({ status: 'offline' });
  });

  test('losing the accept permission drops an online agent to away', () => {
    const a = start();
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'permissions.set', canAccept: false, isAdmin: false });
    expect(a.last()?.status).toBe('away');
  });

  test('choosing offline signs out; status changes while disconnected are rejected', () => {
    const a = start();
    a.actor.send({ type: 'socket.open' });
    a.actor.send({ type: 'status.set', status: 'offline' });
    expect(a.actor.getSnapshot().value).toBe('offline');
    a.actor.send({ type: 'status.set', status: 'online' });
    expect(a.rejects.at(-1)?.code).toBe('not_allowed_now');
    expect(a.actor.getSnapshot().value).toBe('offline');
  });
});

describe('agent machine path coverage (xstate/graph)', () => {
  const events = [
    { type: 'socket.open' }, { type: 'socket.close' }, { type: 'activity' },
    ...(['online', 'busy', 'away', 'invisible', 'offline'] as const).map((status) => ({ type: 'status.set', status })),
    { type: 'permissions.set', canAccept: false, isAdmin: false },
    { type: 'permissions.set', canAccept: true, isAdmin: true },
    afterEvent('idleAway', 'agent.present.online'), afterEvent('idleAway', 'agent.present.busy'), afterEvent('grace', 'agent.grace'),
  ];
  const expectedStates = ['"offline"', '"grace"', ...['online', 'busy', 'away', 'invisible'].map((s) => JSON.stringify({ present: s }))];

  test.each([
    ['agent', { ...base, idleAwayMs: 1000, graceMs: 5000 }],
    ['admin', { ...base, isAdmin: true, idleAwayMs: 1000, graceMs: 5000 }],
  ])('every state is reachable from a fresh %s and reports a presence that matches it', (_, input) => {
    const reports: ReportPresenceParams[] = [];
    const machine = agentMachine.provide({ actions: { reportPresence: (_a, p) => { reports.push(p); } } });
    const reached = replayShortestPaths({
      machine, input, events, delays: { idleAway: 1000, grace: 5000 },
      serializeState: (s) => JSON.stringify([s.value, s.context.canAccept, s.context.isAdmin, Math.min(s.context.sockets, 2), s.context.status]),
      check: (actor) => {
        const snap = actor.getSnapshot();
        const last = reports.at(-1)!;
        if (snap.value === 'offline') expect(last).toMatchObject({ status: 'offline', connected: false });
        else if (snap.value === 'grace') expect(last).toMatchObject({ status: snap.context.status, connected: false });
        else expect(last).toMatchObject({ status: (snap.value as { present: string }).present, connected: true });
        // Whatever path got here, the status is one the agent may hold.
        if (!snap.context.canAccept && snap.value !== 'offline') expect(last.status).toBe('away');
        if (!snap.context.isAdmin) expect(last.status).not.toBe('invisible');
      },
    });
    expect([...reached].sort()).toEqual([...expectedStates].sort());
  });
});
