// The first chat end to end over real sockets (issue: platform foundation, item 7):
// visitor → queue → agent accepts → messages both ways with seq and ack after
// commit → end → ended list with history, also after a restart; resume by last_seq;
// idempotent retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, openVisitor, type AgentClient, type Login, type VisitorClient } from '../helpers/clients.js';

let server: TestServer;
let session: Login;
let agent: AgentClient;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  agent = await openAgent(server.url, session);
  agent.send({ type: 'agent.hello' });
  await agent.waitFor('agent.ready');
});

afterAll(async () => {
  await agent?.close();
  await server?.dispose();
});

async function queuedChat(visitorId: string, text: string): Promise<{ visitor: VisitorClient; conversationId: string }> {
  const visitor = await openVisitor(server.url, server.demo!.publicKey, visitorId);
  visitor.send({ type: 'visitor.hello', name: `Guest ${visitorId.slice(-3)}` });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text, clientMsgId: `${visitorId}-first` });
  const queued = await visitor.waitFor('chat.queued');
  return { visitor, conversationId: queued.conversationId };
}

describe('first chat', () => {
  it('D1 D2 D8: a visitor is queued, accepted, chats both ways in seq order, and the ended chat keeps its history across a restart', async () => {
    const widget = await openVisitor(server.url, server.demo!.publicKey, 'visitor-aaaa-0001');
    widget.send({ type: 'visitor.hello' });
    expect((await widget.waitFor('visitor.ready')).widget).toBe('online');
    await widget.close();

    const { visitor, conversationId } = await queuedChat('visitor-aaaa-0002', 'Hello, is anyone there?');
    const snap = await agent.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.id === conversationId && c.firstMessage === 'Hello, is anyone there?'));
    expect(snap.queue.find((c) => c.id === conversationId)!.state).toBe('queued');

    agent.send({ type: 'conversation.accept', conversationId });
    const assigned = await visitor.waitFor('chat.assigned');
    expect(assigned.agent.id).toBe(server.demo!.agentId);

    agent.send({ type: 'message.send', conversationId, clientMsgId: 'a-1', text: 'Hi! How can I help?' });
    const ackA = await agent.waitFor('message.ack', (f) => f.clientMsgId === 'a-1');
    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'v-2', text: 'I need a refund' });
    const ackV = await visitor.waitFor('message.ack', (f) => f.clientMsgId === 'v-2');
    expect(ackA.seq).toBe(2);
    expect(ackV.seq).toBe(3);
    const seen = await visitor.waitFor('message.created', (f) => f.message.seq === 2);
    expect(seen.message.text).toBe('Hi! How can I help?');
    await agent.waitFor('message.created', (f) => f.message.seq === 3);

    visitor.send({ type: 'chat.end', conversationId });
    await agent.waitFor('conversation.updated', (f) => f.conversation.id === conversationId && f.conversation.state === 'ended');
    await visitor.close();

    const restarted = await server.restart();
    server = restarted;
    const ended = await api(server.url, session, 'GET', '/api/v1/conversations?state=ended');
    expect(ended.status).toBe(200);
    expect(ended.json.items.map((c: { id: string }) => c.id)).toContain(conversationId);
    const history = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items.map((m: { seq: number; text: string }) => [m.seq, m.text])).toEqual([
      [1, 'Hello, is anyone there?'], [2, 'Hi! How can I help?'], [3, 'I need a refund'],
    ]);
    // The agent console reconnects to the restarted server.
    await agent.close();
    agent = await openAgent(server.url, session);
    agent.send({ type: 'agent.hello' });
    await agent.waitFor('agent.ready');
  });

  it('B5: a visitor reconnecting with its last seq receives exactly what it missed', async () => {
    const { visitor, conversationId } = await queuedChat('visitor-bbbb-0001', 'first');
    agent.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('chat.assigned');
    await visitor.close();
    for (let i = 1; i <= 3; i++) {
      agent.send({ type: 'message.send', conversationId, clientMsgId: `m-${i}`, text: `while away ${i}` });
      await agent.waitFor('message.ack', (f) => f.clientMsgId === `m-${i}`);
    }
    const back = await openVisitor(server.url, server.demo!.publicKey, 'visitor-bbbb-0001');
    back.send({ type: 'visitor.hello', resume: { conversationId, lastSeq: 2 } });
    const ready = await back.waitFor('visitor.ready');
    expect(ready.conversation?.id).toBe(conversationId);
    await back.waitFor('message.created', (f) => f.message.seq === 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(back.all('message.created').map((f) => f.message.seq)).toEqual([3, 4]);
    await back.close();
  });

  it('a message retried with the same client_msg_id is stored once and acked with the first seq', async () => {
    const { visitor, conversationId } = await queuedChat('visitor-cccc-0001', 'hi');
    for (let i = 0; i < 3; i++) visitor.send({ type: 'message.send', conversationId, clientMsgId: 'same-id', text: 'once only' });
    await new Promise((r) => setTimeout(r, 300));
    const acks = visitor.all('message.ack').filter((a) => a.clientMsgId === 'same-id');
    expect(acks).toHaveLength(3);
    expect(new Set(acks.map((a) => a.seq)).size).toBe(1);
    const history = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items.filter((m: { text: string }) => m.text === 'once only')).toHaveLength(1);
    await visitor.close();
  });

  it('the ended chats list pages and the console gets its open chats back on hello', async () => {
    const { visitor, conversationId } = await queuedChat('visitor-dddd-0001', 'hello');
    agent.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('chat.assigned');
    const again = await openAgent(server.url, session);
    again.send({ type: 'agent.hello', resume: [{ conversationId, lastSeq: 0 }] });
    const ready = await again.waitFor('agent.ready');
    expect(ready.conversations.map((c) => c.id)).toContain(conversationId);
    await again.waitFor('message.created', (f) => f.message.conversationId === conversationId && f.message.seq === 1);
    await again.close();
    await visitor.close();
  });
});

describe('chat requests', () => {
  it('D1: two racing chat requests from one visitor open one conversation', async () => {
    const visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-race-0001');
    visitor.send({ type: 'chat.request', text: 'one', clientMsgId: 'r1' });
    visitor.send({ type: 'chat.request', text: 'two', clientMsgId: 'r2' });
    await visitor.waitFor('message.ack', (f) => f.clientMsgId === 'r2');
    await visitor.waitFor('message.ack', (f) => f.clientMsgId === 'r1');
    const ids = new Set(visitor.all('chat.queued').map((f) => f.conversationId));
    expect(ids.size).toBe(1);
    await visitor.close();
  });
});
