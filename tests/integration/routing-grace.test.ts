// Grace periods and chat texts (B1, B4, D8, D9): a visitor gone beyond
// VISITOR_GRACE_SECONDS ends the chat; an agent gone beyond AGENT_GRACE_SECONDS loses
// its chats to the head of the queue, while a quick reconnect keeps them; system
// texts from the company settings and per-agent auto-replies are stored as messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, openAgent } from '../helpers/clients.js';
import { askForChat, connectAgent, createAgents, ownerSql, type TeamAgent } from './routing-team.js';

let server: TestServer;
let admin: TeamAgent;
let carl: TeamAgent;

beforeAll(async () => {
  server = await startTestServer({ AGENT_GRACE_SECONDS: '1', VISITOR_GRACE_SECONDS: '1' });
  await createAgents(server, [{ id: 'carl' }]);
  await ownerSql(server, (sql) => sql`update agents set auto_reply = ${sql.json({ text: 'One moment please', afterMs: 300, maxTimes: 1 })}
                                      where company_id = ${server.demo!.companyId} and id = 'carl'`);
  admin = await connectAgent(server, server.demo!.agentId, server.demo!.password);
  expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', {
    texts: { welcome: 'Welcome!', waiting: 'Please wait', busy: '', closing: 'Bye' },
  })).status).toBe(200);
  admin.ws.send({ type: 'agent.status.set', status: 'away' });
  await admin.ws.waitFor('agent.status', (f) => f.status === 'away');
  carl = await connectAgent(server, 'carl');
});

afterAll(async () => {
  await admin?.ws.close();
  await carl?.ws.close();
  await server?.dispose();
});

const texts = async (conversationId: string) =>
  (await api(server.url, admin.session, 'GET', `/api/v1/conversations/${conversationId}/messages`)).json.items.map((m: { sender: string; text: string }) => `${m.sender}:${m.text}`);

describe('grace and texts', () => {
  it('system texts and an auto-reply are stored in order; a visitor gone beyond grace ends the chat', async () => {
    const { visitor, conversationId } = await askForChat(server, 'visitor-grace-001', 'anyone?');
    carl.ws.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('message.created', (f) => f.message.text === 'Welcome!');
    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'g-2', text: 'hello?' });
    await visitor.waitFor('message.created', (f) => f.message.text === 'One moment please', 5000);
    await visitor.close();
    await carl.ws.waitFor('conversation.updated', (f) => f.conversation.id === conversationId && f.conversation.state === 'ended', 10_000);
    const stored = await texts(conversationId);
    expect(stored).toEqual(
      expect.arrayContaining(['system:Please wait', 'system:Welcome!', 'system:One moment please', 'system:Bye']));
    expect(stored.indexOf('system:Welcome!')).toBeLessThan(stored.indexOf('system:One moment please'));
    expect(stored.at(-1)).toBe('system:Bye');
    const conv = await api(server.url, admin.session, 'GET', `/api/v1/conversations/${conversationId}`);
    expect(conv.json.state).toBe('ended');
  });

  it('an agent back within grace keeps its chat; beyond grace the chat returns to the queue head', async () => {
    const { visitor, conversationId } = await askForChat(server, 'visitor-grace-002', 'help');
    carl.ws.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('chat.assigned');
    await carl.ws.close();
    carl = { ...carl, ws: await openAgent(server.url, carl.session) };
    carl.ws.send({ type: 'agent.hello' });
    expect((await carl.ws.waitFor('agent.ready')).conversations.map((c) => c.id)).toContain(conversationId);

    const later = await askForChat(server, 'visitor-grace-003', 'me too');
    await carl.ws.close();
    // Beyond the 1 s grace: requeued ahead of the newer chat, the visitor told its place again.
    const again = await visitor.waitFor('chat.queued', (f) => f.conversationId === conversationId && visitor.all('chat.queued').length >= 2, 10_000);
    expect(again.position).toBe(1);
    carl = await connectAgent(server, 'carl');
    expect(carl.ws.all('agent.ready')[0]!.queue.map((c) => c.id)).toEqual([conversationId, later.conversationId]);
    const rows = await ownerSql(server, (sql) => sql<{ event: string; reason: string | null }[]>`
      select event, reason from assignment_log where conversation_id = ${conversationId} order by decision`);
    expect(rows).toEqual([{ event: 'assigned', reason: null }, { event: 'requeued', reason: 'agentOffline' }]);
    await visitor.close();
    await later.visitor.close();
  });

  it('with auto-assignment and auto-accept off, a chat is offered: declined it returns to the head and is not offered again; unanswered it is withdrawn', async () => {
    expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', { autoAssign: true, offerTimeoutMs: 1000 })).status).toBe(200);
    const first = await askForChat(server, 'visitor-offer-001', 'offer me');
    const offer = await carl.ws.waitFor('chat.offered', (f) => f.conversation.id === first.conversationId);
    expect(offer.timeoutMs).toBe(1000);
    carl.ws.send({ type: 'conversation.decline', conversationId: first.conversationId });
    await carl.ws.waitFor('queue.snapshot', (f) => f.queue[0]?.id === first.conversationId);
    // Declined: still waiting, and carl can still take it by hand.
    carl.ws.send({ type: 'conversation.accept', conversationId: first.conversationId });
    await first.visitor.waitFor('chat.assigned', (f) => f.agent.id === 'carl');

    const second = await askForChat(server, 'visitor-offer-002', 'me next');
    await carl.ws.waitFor('chat.offered', (f) => f.conversation.id === second.conversationId);
    const gone = await carl.ws.waitFor('chat.offer.withdrawn', (f) => f.conversationId === second.conversationId, 10_000);
    expect(gone.reason).toBe('timeout');
    carl.ws.send({ type: 'conversation.decline', conversationId: second.conversationId, ref: 'late' });
    expect((await carl.ws.waitFor('error', (e) => e.ref === 'late')).code).toBe('not_allowed_now');
    expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', { autoAssign: false })).status).toBe(200);
    await first.visitor.close();
    await second.visitor.close();
  });
});
