// Recovery (issue "Routing core", item 6): the server process is killed with SIGKILL
// mid-run and started again on the same database. Queues keep their order, active
// chats stay with their agents, per-agent daily counts (sales mode) and pending
// transfers come back, and visitors and agents reconnect and carry on.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { api, FrameClient, login, openAgent, openVisitor, type AgentClient, type Login, type VisitorClient } from '../helpers/clients.js';

let server: ServerProcess;
let adminSession: Login;

beforeAll(async () => {
  // A long grace, so nobody loses chats while the process is down.
  server = await spawnServer({ AGENT_GRACE_SECONDS: '60', VISITOR_GRACE_SECONDS: '120' });
  adminSession = await login(server.url, server.demo.companyId, 'admin', server.demo.password);
  const sql = postgres(server.db.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const hash = (await sql<{ h: string }[]>`select password_hash as h from agents where id = 'admin'`)[0]!.h;
    for (const id of ['alice', 'bob']) {
      await sql`insert into agents (company_id, id, name, password_hash, permissions, max_chats)
                values (${server.demo.companyId}, ${id}, ${id}, ${hash}, ${['accept_chats', 'transfer']}, 5)`;
    }
  } finally {
    await sql.end();
  }
}, 180_000);

afterAll(async () => {
  await server?.dispose();
});

async function agentSocket(session: Login): Promise<AgentClient> {
  const ws = await openAgent(server.url, session);
  ws.send({ type: 'agent.hello' });
  await ws.waitFor('agent.ready');
  return ws;
}

async function visitorAsks(id: string, text: string): Promise<{ visitor: VisitorClient; conversationId: string }> {
  const visitor = await openVisitor(server.url, server.demo.publicKey, id);
  visitor.send({ type: 'visitor.hello' });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text, clientMsgId: `${id}-1` });
  const { conversationId } = await visitor.waitFor('chat.queued');
  await visitor.waitFor('message.ack');
  return { visitor, conversationId };
}

describe('after SIGKILL', () => {
  it('queues keep their order, active chats their agents, daily counts and pending transfers come back; both sides carry on', { timeout: 180_000 }, async () => {
    expect((await api(server.url, adminSession, 'PUT', '/api/v1/settings/routing', { mode: 'sales', transferTimeoutMs: 120_000 })).status).toBe(200);
    const aliceS = await login(server.url, server.demo.companyId, 'alice', server.demo.password);
    const bobS = await login(server.url, server.demo.companyId, 'bob', server.demo.password);
    let alice = await agentSocket(aliceS);
    let bob = await agentSocket(bobS);

    const active = await visitorAsks('visitor-rec-active', 'help me');
    alice.send({ type: 'conversation.accept', conversationId: active.conversationId });
    await active.visitor.waitFor('chat.assigned');
    const moving = await visitorAsks('visitor-rec-moving', 'transfer me');
    alice.send({ type: 'conversation.accept', conversationId: moving.conversationId });
    await moving.visitor.waitFor('chat.assigned');
    alice.send({ type: 'transfer.request', conversationId: moving.conversationId, toAgentId: 'bob' });
    await bob.waitFor('transfer.offered');
    const queued: Array<{ visitor: VisitorClient; conversationId: string }> = [];
    for (let i = 1; i <= 3; i++) queued.push(await visitorAsks(`visitor-rec-queue${i}`, `waiting ${i}`));
    await alice.waitFor('queue.snapshot', (f) => f.queue.length === 3);

    await server.restart('SIGKILL');

    // Agents come back: alice still owns her chat; bob is offered the pending transfer again.
    alice = await agentSocket(aliceS);
    const ready = alice.all('agent.ready')[0]!;
    expect(ready.conversations.map((c) => c.id).sort()).toEqual([active.conversationId, moving.conversationId].sort());
    expect(ready.queue.map((c) => c.id)).toEqual(queued.map((q) => q.conversationId));
    bob = await agentSocket(bobS);
    const offered = await bob.waitFor('transfer.offered', (f) => f.conversation.id === moving.conversationId, 15_000);
    expect(offered.fromAgentId).toBe('alice');

    // Daily counts were rebuilt from assignment_log: in sales mode bob (0 today) gets the next chat, not alice (2).
    expect((await api(server.url, adminSession, 'PUT', '/api/v1/settings/routing', { autoAssign: true })).status).toBe(200);
    await bob.waitFor('chat.offered', (f) => f.conversation.id === queued[0]!.conversationId, 15_000);

    // The visitor resumes and the chat goes on with the same agent.
    const back = await openVisitor(server.url, server.demo.publicKey, 'visitor-rec-active');
    back.send({ type: 'visitor.hello', resume: { conversationId: active.conversationId, lastSeq: 1 } });
    expect((await back.waitFor('visitor.ready')).conversation).toMatchObject({ id: active.conversationId, state: 'active' });
    back.send({ type: 'message.send', conversationId: active.conversationId, clientMsgId: 'after-crash', text: 'still there?' });
    await back.waitFor('message.ack');
    await alice.waitFor('message.created', (f) => f.message.text === 'still there?');
    alice.send({ type: 'message.send', conversationId: active.conversationId, clientMsgId: 'a-after', text: 'yes' });
    await back.waitFor('message.created', (f) => f.message.text === 'yes');

    for (const c of [alice, bob, back]) await c.close();
    for (const v of [active, moving, ...queued]) await v.visitor.close().catch(() => {});
  });
});

export { FrameClient };
