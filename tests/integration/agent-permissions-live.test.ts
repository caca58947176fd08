// Issue 5 "Bad input": a permission an admin revokes (A5) takes effect on the agent's
// OPEN socket at once, over real sockets: the next frame that needs it gets an error
// frame `forbidden`, the waiting list stops reaching the socket, a regrant works
// without reconnecting, and disabling the agent closes its sockets (4003) and puts
// its chats back in the queue at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, openAgent, type AgentClient } from '../helpers/clients.js';
import { askForChat, connectAgent, createAgents, type TeamAgent } from './routing-team.js';

let server: TestServer;
let admin: TeamAgent;
let dora: TeamAgent;
let eve: TeamAgent;

beforeAll(async () => {
  server = await startTestServer();
  await createAgents(server, [{ id: 'dora', permissions: ['accept_chats', 'transfer'] }, { id: 'eve', permissions: ['accept_chats'] }]);
  admin = await connectAgent(server, server.demo!.agentId, server.demo!.password);
  dora = await connectAgent(server, 'dora');
  eve = await connectAgent(server, 'eve');
});

afterAll(async () => {
  for (const a of [admin, dora, eve]) await a?.ws.close();
  await server?.dispose();
});

const patch = (id: string, body: unknown) => api(server.url, admin.session, 'PATCH', `/api/v1/agents/${id}`, body);

/** Everything the server sent this socket before now has arrived: a pong comes after it. */
async function drained(ws: AgentClient): Promise<void> {
  const pongs = ws.all('pong').length;
  ws.send({ type: 'ping' });
  await ws.waitFor('pong', () => ws.all('pong').length > pongs);
}

describe('a revoked permission on an open socket', () => {
  it('accept_chats revoked: accepting is refused with forbidden and the waiting list no longer reaches the socket', async () => {
    expect((await patch('dora', { permissions: ['transfer'] })).status).toBe(200);
    await dora.ws.waitFor('agent.permissions', (f) => !f.permissions.includes('accept_chats'));
    // without accept_chats the agent may only be away
    await dora.ws.waitFor('agent.status', (f) => f.status === 'away');

    const before = dora.ws.all('queue.snapshot').length;
    const { visitor, conversationId } = await askForChat(server, 'visitor-perm-0001', 'hello');
    await admin.ws.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.id === conversationId));
    await drained(dora.ws);
    expect(dora.ws.all('queue.snapshot').slice(before).flatMap((f) => f.queue)).toEqual([]);

    dora.ws.send({ type: 'conversation.accept', conversationId, ref: 'acc-1' });
    const refused = await dora.ws.waitFor('error', (f) => f.ref === 'acc-1');
    expect(refused.code).toBe(ErrorCode.Forbidden);
    expect(visitor.all('chat.assigned')).toHaveLength(0);

    // Regranted: the same socket accepts, and sees the waiting list again.
    expect((await patch('dora', { permissions: ['accept_chats', 'transfer'] })).status).toBe(200);
    await dora.ws.waitFor('agent.permissions', (f) => f.permissions.includes('accept_chats'));
    dora.ws.send({ type: 'agent.status.set', status: 'online' });
    await dora.ws.waitFor('agent.status', (f) => f.status === 'online');
    dora.ws.send({ type: 'conversation.accept', conversationId, ref: 'acc-2' });
    expect((await visitor.waitFor('chat.assigned')).agent.id).toBe('dora');
    const again = await askForChat(server, 'visitor-perm-0002', 'me too');
    await dora.ws.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.id === again.conversationId));
    await again.visitor.close();
    await visitor.close();
  });

  it('transfer revoked: transfer.request on the open socket is refused with forbidden', async () => {
    const { visitor, conversationId } = await askForChat(server, 'visitor-perm-0003', 'transfer me');
    dora.ws.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('chat.assigned');
    expect((await patch('dora', { permissions: ['accept_chats'] })).status).toBe(200);
    await dora.ws.waitFor('agent.permissions', (f) => !f.permissions.includes('transfer'));

    dora.ws.send({ type: 'transfer.request', conversationId, toAgentId: 'eve', ref: 'tr-1' });
    expect((await dora.ws.waitFor('error', (f) => f.ref === 'tr-1')).code).toBe(ErrorCode.Forbidden);
    await drained(eve.ws);
    expect(eve.ws.all('transfer.offered')).toHaveLength(0);
    await visitor.close();
  });

  it('disabled: the open socket is told and closed with 4003, its chat goes back to the queue at once, and it cannot reconnect', async () => {
    const { visitor, conversationId } = await askForChat(server, 'visitor-perm-0004', 'still there?');
    eve.ws.send({ type: 'conversation.accept', conversationId });
    expect((await visitor.waitFor('chat.assigned')).agent.id).toBe('eve');

    expect((await patch('eve', { disabled: true })).status).toBe(200);
    expect((await eve.ws.waitFor('agent.permissions')).disabled).toBe(true);
    await new Promise<void>((resolve) => (eve.ws.closed ? resolve() : eve.ws.ws.once('close', () => resolve())));
    expect(eve.ws.closed?.code).toBe(CloseCode.Forbidden);
    // no 60 s reconnect grace for a disabled agent: the chat is waiting again now
    await visitor.waitFor('chat.queued', () => visitor.all('chat.queued').length >= 2);
    await admin.ws.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.id === conversationId));
    await expect(openAgent(server.url, eve.session)).rejects.toThrow(/401/);
    await visitor.close();
  });
});
