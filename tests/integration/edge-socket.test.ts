// C3 at the visitor socket: a blocked IP cannot chat whatever its widget does, and
// unblocking restores it. The test client connects from 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openVisitor, type Login } from '../helpers/clients.js';

let server: TestServer;
let admin: Login;

beforeAll(async () => {
  server = await startTestServer();
  admin = await login(server.url, server.demo!.companyId, server.demo!.agentId, server.demo!.password);
});
afterAll(async () => { await server?.dispose(); });

describe('C3 blocking enforced on the visitor socket', () => {
  it('block chat refuses chat requests and messages with code blocked; removing the block restores chat', async () => {
    const block = await api(server.url, admin, 'POST', '/api/v1/blocks', { target: '127.0.0.1', kind: 'chat' });
    expect(block.status).toBe(201);
    const blocked = await openVisitor(server.url, server.demo!.publicKey, 'visitor-blocked-01');
    blocked.send({ type: 'visitor.hello' });
    expect((await blocked.waitFor('visitor.ready')).widget).toBe('offline');
    blocked.send({ type: 'chat.request', text: 'let me in', clientMsgId: 'b-1', ref: 'req' });
    expect((await blocked.waitFor('error', (e) => e.ref === 'req')).code).toBe('blocked');
    expect(blocked.all('chat.queued')).toEqual([]);
    await blocked.close();

    const id = block.json.block?.id ?? block.json.id;
    expect((await api(server.url, admin, 'DELETE', `/api/v1/blocks/${id}`)).status).toBeLessThan(300);
    const free = await openVisitor(server.url, server.demo!.publicKey, 'visitor-blocked-01');
    free.send({ type: 'visitor.hello' });
    await free.waitFor('visitor.ready');
    free.send({ type: 'chat.request', text: 'hello again', clientMsgId: 'b-2' });
    await free.waitFor('chat.queued');
    await free.close();
  });
});
