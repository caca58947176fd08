import { describe, expect, test } from 'vitest';
import { restoreRouterInput } from '../../../machines/routing/restore.js';
import { transferTargets } from '../../../machines/routing/router-core.js';
import { DEFAULT_ROUTER_SETTINGS } from '../../../machines/routing/types.js';
import { ofType, profile, startRouter } from './router-harness.js';

const req = (n: number, scope: any = { kind: 'company' }, lastAgentId: string | null = null) =>
  ({ type: 'chat.request' as const, conversationId: `c${n}`, visitorId: `v${n}`, scope, lastAgentId });

describe('company router (D1–D4)', () => {
  test('D1/D3 queued visitors are told their position and how many are ahead, and told again when it changes', () => {
    const r = startRouter();
    r.send(req(1)); r.send(req(2)); r.send(req(3));
    expect(ofType(r.take(), 'notifyVisitor').map((n) => [n.conversationId, n.notice])).toEqual([
      ['c1', { type: 'chat.queued', position: 1, ahead: 0 }],
      ['c2', { type: 'chat.queued', position: 2, ahead: 1 }],
      ['c3', { type: 'chat.queued', position: 3, ahead: 2 }],
    ]);
    r.online('a');
    const told = ofType(r.take(), 'notifyVisitor').map((n) => [n.conversationId, n.notice.type, 'position' in n.notice ? n.notice.position : null]);
    expect(told).toEqual([['c1', 'chat.assigned', null], ['c2', 'chat.assigned', null], ['c3', 'chat.assigned', null]]);
  });

  test('D3 never over the cap; the rest wait in FIFO order', () => {
    const r = startRouter();
    r.online('a', { cap: 1 });
    r.send(req(1)); r.send(req(2)); r.send(req(3));
    expect(r.ctx().agents.a!.chats).toEqual(['c1']);
    expect(r.ctx().queues.company).toEqual(['c2', 'c3']);
    r.take();
    r.send({ type: 'chat.ended', conversationId: 'c1' });
    const fx = r.take();
    expect(ofType(fx, 'persistAssignment').map((p) => p.conversationId)).toEqual(['c2']);
    expect(ofType(fx, 'notifyVisitor').at(-1)).toMatchObject({ conversationId: 'c3', notice: { type: 'queue.position', position: 1, ahead: 0 } });
  });

  test('D3 service type: fewest current chats wins, ties to the agent idle longest', () => {
    const r = startRouter({ settings: { mode: 'service' } });
    r.online('a'); r.online('b');
    r.send(req(1)); r.send(req(2)); r.send(req(3));
    expect(r.ctx().agents.a!.chats).toEqual(['c1', 'c3']);
    expect(r.ctx().agents.b!.chats).toEqual(['c2']);
    r.send({ type: 'chat.ended', conversationId: 'c1' });
    r.send({ type: 'chat.ended', conversationId: 'c3' });
    r.send(req(4));
    expect(r.ctx().agents.a!.chats).toEqual(['c4']);
  });

  test('D3 sales type: fewest chats accepted today wins; the day key comes from the runtime', () => {
    const r = startRouter({ settings: { mode: 'sales' } });
    r.online('a'); r.online('b');
    r.send(req(1));
    r.send({ type: 'chat.ended', conversationId: 'c1' }); // a: 0 concurrent but 1 today
    r.send(req(2));
    expect(r.ctx().chats.c2!.agentId).toBe('b');
    r.send({ type: 'day.rollover', dayKey: '2025-01-02' });
    expect(Object.values(r.ctx().agents).map((a) => a.acceptedToday)).toEqual([0, 0]);
  });

  test('D3 never to a busy, away, invisible or disconnected agent', () => {
    const r = startRouter();
    for (const [id, status, connected] of [['b', 'busy', true], ['w', 'away', true], ['i', 'invisible', true], ['g', 'online', false]] as const) {
      r.send({ type: 'agent.upsert', profile: profile(id, { isAdmin: true }) });
      r.send({ type: 'agent.presence', agentId: id, status, connected });
    }
    r.send(req(1));
    expect(r.ctx().chats.c1!.phase).toBe('queued');
  });

  test('D3 prefer the agent of the last chat: wait for them, then fall back', () => {
    const r = startRouter({ settings: { preferLastAgent: true, preferLastAgentMs: 5_000 } });
    r.online('a'); r.online('b', { cap: 1 });
    r.send(req(1)); r.send(req(2));
    r.send(req(3, { kind: 'company' }, 'b')); // b is at cap: hold for b
    expect(r.ctx().chats.c3!.phase).toBe('queued');
    r.send({ type: 'chat.ended', conversationId: 'c2' });
    expect(r.ctx().chats.c3!.agentId).toBe('b');
    r.send(req(4, { kind: 'company' }, 'b'));
    r.clock.increment(5_000);
    expect(r.ctx().chats.c4!.agentId).toBe('a');
  });

  test('D4 a group chat goes only to members of that group; a bound-agent chat only to that agent', () => {
    const r = startRouter();
    r.online('a', { groups: ['sales'] }); r.online('b', { groups: ['support'] });
    r.send(req(1, { kind: 'group', groupId: 'support' }));
    r.send(req(2, { kind: 'agent', agentId: 'a' }));
    expect(r.ctx().chats.c1!.agentId).toBe('b');
    expect(r.ctx().chats.c2!.agentId).toBe('a');
  });

  test('D2 manual accept from the waiting list; a second accept is rejected as already taken', () => {
    const r = startRouter({ settings: { autoAssign: false } });
    r.online('a'); r.online('b');
    r.send(req(1));
    r.take();
    r.send({ type: 'chat.accept', conversationId: 'c1', agentId: 'a' });
    const before = r.ctx();
    r.send({ type: 'chat.accept', conversationId: 'c1', agentId: 'b', ref: 'x' });
    expect(ofType(r.take(), 'reject').at(-1)).toMatchObject({ code: 'already_taken', ref: 'x', target: { kind: 'agent', agentId: 'b' } });
    expect(r.ctx()).toBe(before);
  });

  test('bad input is rejected with an error code and leaves the state unchanged', () => {
    const r = startRouter({ settings: { autoAssign: false } });
    r.online('a', { canAccept: false }); r.online('s', { canMonitor: false });
    r.send(req(1));
    const before = r.ctx();
    r.take();
    r.send({ type: 'chat.accept', conversationId: 'c1', agentId: 'a' });
    r.send({ type: 'chat.accept', conversationId: 'c1', agentId: 'stranger' });
    r.send({ type: 'monitor.start', supervisorId: 's', agentId: 'a' });
    r.send({ type: 'monitor.start', supervisorId: 'other-company-sup', agentId: 'a' });
    r.send({ type: 'chat.accept', conversationId: 'nope', agentId: 's' });
    expect(ofType(r.take(), 'reject').map((x) => x.code)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden', 'not_found']);
    expect(r.ctx()).toBe(before);
  });

  test('no auto-accept: the chat is offered; a decline or timeout returns it to the head of its queue', () => {
    const r = startRouter({ settings: { offerTimeoutMs: 1_000 } });
    r.online('a', { autoAccept: false, cap: 1 });
    r.send(req(1)); r.send(req(2));
    expect(r.ctx().chats.c1!.phase).toBe('offered');
    r.send({ type: 'chat.decline', conversationId: 'c1', agentId: 'a' });
    // c1 goes back in front of c2; a declined c1 so c2 is offered to a instead.
    expect(r.ctx().queues.company).toEqual(['c1']);
    expect(r.ctx().chats.c2!.phase).toBe('offered');
    r.clock.increment(1_000);
    expect(r.ctx().queues.company).toEqual(['c2', 'c1']);
    r.online('b');
    expect(r.ctx().chats.c2!.agentId).toBe('b');
  });

  test('an agent gone beyond grace loses its chats to the head of the queue; in grace it keeps them', () => {
    const r = startRouter();
    r.online('a', { cap: 2 });
    r.send(req(1)); r.send(req(2));
    r.send({ type: 'agent.upsert', profile: profile('b', { cap: 0 }) });
    r.send({ type: 'agent.presence', agentId: 'b', status: 'online', connected: true });
    r.send(req(3));
    r.send({ type: 'agent.presence', agentId: 'a', status: 'online', connected: false });
    expect(r.ctx().agents.a!.chats).toEqual(['c1', 'c2']);
    r.take();
    r.send({ type: 'agent.presence', agentId: 'a', status: 'offline', connected: false });
    expect(r.ctx().queues.company).toEqual(['c1', 'c2', 'c3']);
    expect(ofType(r.take(), 'persistRequeue').map((p) => p.conversationId).sort()).toEqual(['c1', 'c2']);
  });

  test('D5 transfer: accept moves the chat (with history); impossible when nobody else is online', () => {
    const r = startRouter();
    r.online('a');
    r.send(req(1));
    r.send({ type: 'transfer.request', conversationId: 'c1', fromAgentId: 'a', toAgentId: 'b' });
    expect(ofType(r.take(), 'reject').at(-1)?.code).toBe('not_found');
    r.online('b');
    r.send({ type: 'agent.presence', agentId: 'b', status: 'away', connected: true });
    r.send({ type: 'transfer.request', conversationId: 'c1', fromAgentId: 'a', toAgentId: 'b' });
    expect(ofType(r.take(), 'reject').at(-1)?.code).toBe('not_allowed_now');
    r.send({ type: 'agent.presence', agentId: 'b', status: 'online', connected: true });
    r.send({ type: 'transfer.request', conversationId: 'c1', fromAgentId: 'a', toAgentId: 'b' });
    expect(r.ctx().chats.c1!.phase).toBe('transferring');
    r.send({ type: 'transfer.accept', conversationId: 'c1', agentId: 'b', includeHistory: true });
    expect(ofType(r.take(), 'persistAssignment').at(-1)).toEqual({ conversationId: 'c1', agentId: 'b', previousAgentId: 'a', mode: 'transfer', includeHistory: true });
    expect(r.ctx().agents.a!.chats).toEqual([]);
  });

  test('D5 a normal agent neither sees nor transfers to an invisible admin; an admin can', () => {
    const r = startRouter();
    r.online('a'); r.online('boss', { isAdmin: true }); r.online('admin2', { isAdmin: true });
    r.send({ type: 'agent.presence', agentId: 'boss', status: 'invisible', connected: true });
    expect(transferTargets(r.ctx(), 'a').map((t) => t.id)).toEqual(['admin2']);
    expect(transferTargets(r.ctx(), 'admin2').map((t) => t.id).sort()).toEqual(['a', 'boss']);
    r.send(req(1));
    const owner = r.ctx().chats.c1!.agentId!;
    expect(owner).toBe('a');
    r.send({ type: 'transfer.request', conversationId: 'c1', fromAgentId: 'a', toAgentId: 'boss' });
    expect(ofType(r.take(), 'reject').at(-1)?.code).toBe('not_found');
  });

  test('D5 transfer timeout leaves the chat with its agent', () => {
    const r = startRouter({ settings: { transferTimeoutMs: 2_000 } });
    r.online('a'); r.online('b');
    r.send(req(1));
    r.send({ type: 'transfer.request', conversationId: 'c1', fromAgentId: 'a', toAgentId: 'b' });
    r.clock.increment(2_000);
    expect(r.ctx().chats.c1).toMatchObject({ phase: 'active', agentId: 'a', pendingAgentId: null });
    expect(r.ctx().agents.b!.reserved).toEqual([]);
  });

  test('D6 monitor: supervisor gets the agent\'s chats and new ones carry it as watcher; take over', () => {
    const r = startRouter();
    r.online('a'); r.online('sup', { canMonitor: true, cap: 5 });
    r.send(req(1));
    r.take();
    r.send({ type: 'monitor.start', supervisorId: 'sup', agentId: 'a' });
    expect(ofType(r.take(), 'monitorChanged')).toEqual([{ supervisorId: 'sup', agentId: 'a', active: true, conversationIds: ['c1'] }]);
    r.send({ type: 'takeover', supervisorId: 'sup', conversationId: 'c1' });
    expect(r.ctx().chats.c1!.agentId).toBe('sup');
    r.send({ type: 'monitor.stop', supervisorId: 'sup', agentId: 'a' });
    r.send({ type: 'monitor.stop', supervisorId: 'sup', agentId: 'a' });
    expect(ofType(r.take(), 'reject').at(-1)?.code).toBe('not_found');
  });

  test('B1 widget state per scope: online / busy / offline, emitted on change', () => {
    const r = startRouter();
    r.send({ type: 'agent.upsert', profile: profile('a', { groups: ['g'] }) });
    r.send({ type: 'agent.upsert', profile: profile('b') });
    r.take();
    r.send({ type: 'agent.presence', agentId: 'a', status: 'busy', connected: true });
    expect(ofType(r.take(), 'widgetStateChanged')).toEqual([
      { scope: 'agent:a', state: 'busy' }, { scope: 'company', state: 'busy' }, { scope: 'group:g', state: 'busy' },
    ]);
    r.send({ type: 'agent.presence', agentId: 'b', status: 'online', connected: true });
    expect(ofType(r.take(), 'widgetStateChanged')).toEqual([{ scope: 'agent:b', state: 'online' }, { scope: 'company', state: 'online' }]);
    r.send({ type: 'agent.presence', agentId: 'a', status: 'away', connected: true });
    r.send({ type: 'agent.presence', agentId: 'b', status: 'offline', connected: false });
    expect(r.ctx().widget).toEqual({ company: 'offline', 'group:g': 'offline', 'agent:a': 'offline', 'agent:b': 'offline' });
  });

  test('restored from stored rows: queued chats told their positions; agents keep chats until their grace runs out', () => {
    const input = restoreRouterInput({
      companyId: 'co1', settings: DEFAULT_ROUTER_SETTINGS, dayKey: '2025-01-01',
      agents: [profile('a'), profile('b')], acceptedToday: { a: 4 },
      conversations: [
        { id: 'q2', visitorId: 'v2', state: 'queued', agentId: null, scope: { kind: 'company' }, createdAt: 20 },
        { id: 'q1', visitorId: 'v1', state: 'queued', agentId: null, scope: { kind: 'company' }, createdAt: 10 },
        { id: 'x', visitorId: 'v3', state: 'active', agentId: 'a', scope: { kind: 'company' }, createdAt: 5 },
        { id: 'y', visitorId: 'v4', state: 'active', agentId: 'gone', scope: { kind: 'company' }, createdAt: 6 },
      ],
    });
    const r = startRouter({ input });
    expect(r.ctx().queues.company).toEqual(['y', 'q1', 'q2']);
    expect(ofType(r.take(), 'notifyVisitor').map((n) => [n.conversationId, n.notice.type])).toEqual([
      ['y', 'chat.queued'], ['q1', 'chat.queued'], ['q2', 'chat.queued'],
    ]);
    expect(r.ctx().agents.a).toMatchObject({ chats: ['x'], acceptedToday: 4, status: 'offline' });
    r.send({ type: 'agent.presence', agentId: 'a', status: 'offline', connected: false });
    expect(r.ctx().queues.company).toEqual(['x', 'y', 'q1', 'q2']);
  });
});
