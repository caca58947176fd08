// Routing core over real sockets (D2, D5, D6, D7, B1): transfers accepted, rejected and
// timed out; monitoring with whisper and take-over; invisible admins hidden from
// normal agents; permission refusals and another company's agent as an error frame
// with the state unchanged; widget state per scope; agent invitations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, openVisitor, type AgentClient } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { askForChat, connectAgent, createAgents, ownerSql, type TeamAgent } from './routing-team.js';

let server: TestServer;
let admin: TeamAgent;
let alice: TeamAgent;
let bob: TeamAgent;
let sue: TeamAgent;
let otherCompany: { companyId: string };

beforeAll(async () => {
  server = await startTestServer();
  await createAgents(server, [
    { id: 'alice' }, { id: 'bob' },
    { id: 'sue', permissions: ['accept_chats', 'transfer', 'monitor', 'view_agents'] },
    { id: 'nora', permissions: ['view_agents'] },
  ]);
  admin = await connectAgent(server, server.demo!.agentId, server.demo!.password);
  const put = await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', { transferTimeoutMs: 1500 });
  expect(put.status).toBe(200);
  alice = await connectAgent(server, 'alice');
  bob = await connectAgent(server, 'bob');
  sue = await connectAgent(server, 'sue');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Rival Co', adminName: 'Rita', password: 'rival-password-1' });
  otherCompany = { companyId: company.id };
  const { hashPassword } = await import('../../server/src/domain/passwords.js');
  await server.stores.accounts.createAgent(company.id, { id: 'rivalonly', name: 'Rival', passwordHash: await hashPassword('rival-password-1') });
});

afterAll(async () => {
  for (const a of [admin, alice, bob, sue]) await a?.ws.close();
  await server?.dispose();
});

async function aliceChat(visitorId: string) {
  const { visitor, conversationId } = await askForChat(server, visitorId, 'hello there');
  alice.ws.send({ type: 'conversation.accept', conversationId });
  await visitor.waitFor('chat.assigned', (f) => f.conversationId === conversationId);
  return { visitor, conversationId };
}

const lastError = (ws: AgentClient, ref: string) => ws.waitFor('error', (e) => e.ref === ref);

describe('transfers (D5)', () => {
  it('accepted with history: the target gets the chat and its history, the owner the result, the log a transfer row', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-tr-accept1');
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'bob' });
    const offered = await bob.ws.waitFor('transfer.offered', (f) => f.conversation.id === conversationId);
    expect(offered.fromAgentId).toBe('alice');
    bob.ws.send({ type: 'transfer.respond', conversationId, accept: true, includeHistory: true });
    const hist = await bob.ws.waitFor('conversation.history', (f) => f.conversationId === conversationId);
    expect(hist.messages.map((m) => m.text)).toContain('hello there');
    await bob.ws.waitFor('conversation.updated', (f) => f.conversation.id === conversationId && f.conversation.agentId === 'bob');
    expect((await alice.ws.waitFor('transfer.result', (f) => f.conversationId === conversationId)).result).toBe('accepted');
    expect((await visitor.waitFor('chat.assigned', (f) => f.agent.id === 'bob')).conversationId).toBe(conversationId);
    bob.ws.send({ type: 'message.send', conversationId, clientMsgId: 'bob-1', text: 'Bob here' });
    await visitor.waitFor('message.created', (f) => f.message.text === 'Bob here');
    const rows = await ownerSql(server, (sql) => sql<{ agent_id: string; mode: string }[]>`
      select agent_id, mode from assignment_log where conversation_id = ${conversationId} and event = 'assigned' order by decision`);
    expect(rows).toEqual([{ agent_id: 'alice', mode: 'manual' }, { agent_id: 'bob', mode: 'transfer' }]);
    await visitor.close();
  });

  it('rejected or timed out: the chat stays with its owner, who can go on writing', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-tr-reject1');
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'bob' });
    await bob.ws.waitFor('transfer.offered', (f) => f.conversation.id === conversationId);
    bob.ws.send({ type: 'transfer.respond', conversationId, accept: false });
    expect((await alice.ws.waitFor('transfer.result', (f) => f.conversationId === conversationId)).result).toBe('rejected');

    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'bob' });
    await bob.ws.waitFor('transfer.offered', (f) => f.conversation.id === conversationId && bob.ws.all('transfer.offered').filter((o) => o.conversation.id === conversationId).length === 2);
    const timeout = await alice.ws.waitFor('transfer.result', (f) => f.conversationId === conversationId && f.result !== 'rejected', 10_000);
    expect(timeout.result).toBe('timeout');
    alice.ws.send({ type: 'message.send', conversationId, clientMsgId: 'al-after', text: 'still me' });
    await visitor.waitFor('message.created', (f) => f.message.text === 'still me');
    await visitor.close();
  });

  it('another company\'s or an unknown agent is not_found; nobody else available is no_agent_online; nothing changes', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-tr-bad0001');
    // The rival company's agent is online in its own company; by id it is simply unknown here.
    const rival = await connectAgent(server, 'rivalonly', 'rival-password-1', otherCompany.companyId);
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'rivalonly', ref: 'x-rival' });
    expect((await lastError(alice.ws, 'x-rival')).code).toBe('not_found');
    await rival.ws.close();
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'nobody', ref: 'x-none' });
    expect((await lastError(alice.ws, 'x-none')).code).toBe('not_found');

    for (const a of [bob, sue, admin]) a.ws.send({ type: 'agent.status.set', status: 'away' });
    await Promise.all([bob, sue, admin].map((a) => a.ws.waitFor('agent.status', (f) => f.status === 'away')));
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'bob', ref: 'x-away' });
    expect((await lastError(alice.ws, 'x-away')).code).toBe('no_agent_online');
    for (const a of [bob, sue, admin]) a.ws.send({ type: 'agent.status.set', status: 'online' });
    await Promise.all([bob, sue, admin].map((a) => a.ws.waitFor('agent.status', (f) => f.status === 'online' && a.ws.all('agent.status').at(-1)?.status === 'online')));

    // State unchanged: still alice's, still writable.
    alice.ws.send({ type: 'message.send', conversationId, clientMsgId: 'al-bad', text: 'nothing moved' });
    await visitor.waitFor('message.created', (f) => f.message.text === 'nothing moved');
    const conv = await api(server.url, alice.session, 'GET', `/api/v1/conversations/${conversationId}`);
    expect([conv.json.state, conv.json.agentId]).toEqual(['active', 'alice']);
    await visitor.close();
  });

  it('an invisible admin is neither listed for nor reachable by a normal agent', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-invis0001');
    admin.ws.send({ type: 'agent.status.set', status: 'invisible' });
    await admin.ws.waitFor('agent.status', (f) => f.status === 'invisible');
    alice.ws.send({ type: 'agents.list', ref: 'l-1' });
    const list = await alice.ws.waitFor('agents.list', (f) => f.ref === 'l-1');
    expect(list.agents.map((a) => a.id).sort()).toEqual(['bob', 'sue']);
    alice.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'admin', ref: 'x-invis' });
    expect((await lastError(alice.ws, 'x-invis')).code).toBe('not_found');
    // A normal agent cannot be invisible at all.
    bob.ws.send({ type: 'agent.status.set', status: 'invisible', ref: 'b-invis' });
    expect((await lastError(bob.ws, 'b-invis')).code).toBe('forbidden');
    admin.ws.send({ type: 'agent.status.set', status: 'online' });
    await admin.ws.waitFor('agent.status', (f) => f.status === 'online' && admin.ws.all('agent.status').at(-1)?.status === 'online');
    await visitor.close();
  });
});

describe('monitoring (D6)', () => {
  it('a supervisor sees both sides live, whispers to the agent only (never to the visitor, even on resume) and takes over', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-mon-00001');
    sue.ws.send({ type: 'monitor.start', agentId: 'alice' });
    const state = await sue.ws.waitFor('monitor.state', (f) => f.agentId === 'alice' && f.active);
    expect(state.conversations.map((c) => c.id)).toContain(conversationId);

    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'v-m1', text: 'is it waterproof?' });
    await sue.ws.waitFor('message.created', (f) => f.message.text === 'is it waterproof?');
    alice.ws.send({ type: 'message.send', conversationId, clientMsgId: 'a-m1', text: 'yes, IP68' });
    await sue.ws.waitFor('message.created', (f) => f.message.text === 'yes, IP68');

    sue.ws.send({ type: 'whisper.send', conversationId, clientMsgId: 'w-1', text: 'mention the warranty', ref: 'w-1' });
    expect((await sue.ws.waitFor('whisper.created', (f) => f.ref === 'w-1')).whisper.text).toBe('mention the warranty');
    await alice.ws.waitFor('whisper.created', (f) => f.whisper.text === 'mention the warranty');
    const back = await openVisitor(server.url, server.demo!.publicKey, 'visitor-mon-00001');
    back.send({ type: 'visitor.hello', resume: { conversationId, lastSeq: 0 } });
    await back.waitFor('message.created', (f) => f.message.text === 'yes, IP68');
    await new Promise((r) => setTimeout(r, 200));
    const seen = [...visitor.frames, ...back.frames].map((f) => JSON.stringify(f));
    expect(seen.some((f) => f.includes('mention the warranty'))).toBe(false);
    const history = await api(server.url, alice.session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items.map((m: { text: string }) => m.text)).not.toContain('mention the warranty');

    // A console reload gets the whisper back with the history; bob (not in the audience) does not.
    alice.ws.send({ type: 'conversation.history', conversationId, ref: 'h-a' });
    await alice.ws.waitFor('conversation.history', (f) => f.ref === 'h-a');
    expect(alice.ws.all('whisper.created').filter((f) => f.whisper.text === 'mention the warranty')).toHaveLength(2);
    bob.ws.send({ type: 'conversation.history', conversationId, ref: 'h-b' });
    await bob.ws.waitFor('conversation.history', (f) => f.ref === 'h-b');
    expect(bob.ws.all('whisper.created').some((f) => f.whisper.conversationId === conversationId)).toBe(false);
    sue.ws.send({ type: 'conversation.takeover', conversationId, ref: 'k-1' });
    await visitor.waitFor('chat.assigned', (f) => f.agent.id === 'sue');
    await alice.ws.waitFor('conversation.updated', (f) => f.conversation.id === conversationId && f.conversation.agentId === 'sue');
    alice.ws.send({ type: 'message.send', conversationId, clientMsgId: 'a-late', text: 'me again', ref: 'a-late' });
    expect((await lastError(alice.ws, 'a-late')).code).toBe('forbidden');
    sue.ws.send({ type: 'monitor.stop', agentId: 'alice' });
    await sue.ws.waitFor('monitor.state', (f) => f.agentId === 'alice' && !f.active);
    await back.close();
    await visitor.close();
  });

  it('refuses without permission, for a non-watcher whisper, and for another company\'s agent', async () => {
    const { visitor, conversationId } = await aliceChat('visitor-mon-deny1');
    bob.ws.send({ type: 'monitor.start', agentId: 'alice', ref: 'm-bob' });
    expect((await lastError(bob.ws, 'm-bob')).code).toBe('forbidden');
    bob.ws.send({ type: 'whisper.send', conversationId, clientMsgId: 'bw', text: 'psst', ref: 'w-bob' });
    expect((await lastError(bob.ws, 'w-bob')).code).toBe('forbidden');
    bob.ws.send({ type: 'conversation.takeover', conversationId, ref: 't-bob' });
    expect((await lastError(bob.ws, 't-bob')).code).toBe('forbidden');
    const rival = await connectAgent(server, 'admin', 'rival-password-1', otherCompany.companyId);
    rival.ws.send({ type: 'monitor.start', agentId: 'alice', ref: 'm-rival' });
    expect((await lastError(rival.ws, 'm-rival')).code).toBe('not_found');
    rival.ws.send({ type: 'conversation.takeover', conversationId, ref: 't-rival' });
    expect((await lastError(rival.ws, 't-rival')).code).toBe('not_found');
    rival.ws.send({ type: 'transfer.respond', conversationId, accept: true, ref: 'r-rival' });
    expect((await lastError(rival.ws, 'r-rival')).code).toBe('not_found');
    await rival.ws.close();
    const nora = await connectAgent(server, 'nora');
    expect((await nora.ws.waitFor('agent.ready')).agent.status).toBe('away');
    nora.ws.send({ type: 'agent.status.set', status: 'online', ref: 'n-on' });
    expect((await lastError(nora.ws, 'n-on')).code).toBe('forbidden');
    nora.ws.send({ type: 'conversation.accept', conversationId, ref: 'n-acc' });
    expect((await lastError(nora.ws, 'n-acc')).code).toBe('forbidden');
    await nora.ws.close();
    const conv = await api(server.url, alice.session, 'GET', `/api/v1/conversations/${conversationId}`);
    expect([conv.json.state, conv.json.agentId]).toEqual(['active', 'alice']);
    await visitor.close();
  });
});

describe('widget state per scope and invitations (B1, D7)', () => {
  it('a widget bound to an agent follows that agent; an invitation opens a chat in its scope', async () => {
    const visitor = await (await import('../helpers/clients.js')).FrameClient.open<any, any>(
      `${server.url.replace(/^http/, 'ws')}/ws/visitor?key=${server.demo!.publicKey}&vid=visitor-scope-0001&agent=bob`);
    visitor.send({ type: 'visitor.hello', page: { url: 'https://shop.example/p/1' } });
    expect((await visitor.waitFor('visitor.ready')).widget).toBe('online');
    bob.ws.send({ type: 'agent.status.set', status: 'away' });
    await visitor.waitFor('widget.state', (f: any) => f.state === 'offline');
    bob.ws.send({ type: 'agent.status.set', status: 'online' });
    await visitor.waitFor('widget.state', (f: any) => f.state === 'online');

    alice.ws.send({ type: 'visitor.invite', visitorId: 'visitor-scope-0001', kind: 'chat', greeting: 'Need a hand?' });
    const shown = await visitor.waitFor('invite.shown');
    expect([shown.kind, shown.greeting, shown.agent.id]).toEqual(['chat', 'Need a hand?', 'alice']);
    visitor.send({ type: 'invite.accept' });
    const queued = await visitor.waitFor('chat.queued');
    await alice.ws.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.id === queued.conversationId && c.scope === 'agent:alice'));
    await bob.ws.waitFor('queue.snapshot', () => true);
    expect(bob.ws.all('queue.snapshot').at(-1)!.queue.map((c) => c.id)).not.toContain(queued.conversationId);
    alice.ws.send({ type: 'visitor.invite', visitorId: 'nobody-here-0001', kind: 'popup', ref: 'i-none' });
    expect((await lastError(alice.ws, 'i-none')).code).toBe('not_found');
    await visitor.close();
  });

  it('routing settings: admins read and change them, others get 403, bad values 400', async () => {
    const got = await api(server.url, admin.session, 'GET', '/api/v1/settings/routing');
    expect(got.json).toMatchObject({ autoAssign: false, mode: 'service', transferTimeoutMs: 1500 });
    expect((await api(server.url, alice.session, 'PUT', '/api/v1/settings/routing', { autoAssign: true })).status).toBe(403);
    expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', { mode: 'random' })).status).toBe(400);
    expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/invite-rules/r1', { delayMs: -1 })).status).toBe(400);
    const rule = await api(server.url, admin.session, 'PUT', '/api/v1/settings/invite-rules/r1', { delayMs: 0, greeting: 'Hi {region}' });
    expect(rule.status).toBe(200);
    expect((await api(server.url, admin.session, 'GET', '/api/v1/settings/invite-rules')).json.items.map((r: { id: string }) => r.id)).toEqual(['r1']);
    // The rule fires on the next page view at once (delay 0).
    const v = await openVisitor(server.url, server.demo!.publicKey, 'visitor-rule-0001');
    v.send({ type: 'visitor.hello', page: { url: 'https://shop.example/' } });
    expect((await v.waitFor('invite.shown')).greeting).toBe('Hi ');
    v.send({ type: 'invite.decline' });
    await v.waitFor('invite.hidden');
    await v.close();
    expect((await api(server.url, admin.session, 'DELETE', '/api/v1/settings/invite-rules/r1')).status).toBe(200);
  });
});
