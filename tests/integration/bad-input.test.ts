// Bad input at the gateway: clear error frames or 4xx JSON, the connection kept
// where that makes sense, nothing stored, nothing crashed; no tenant sees another's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, MAX_MESSAGE_LENGTH } from '../../protocol/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, openVisitor, FrameClient, type AgentClient, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';

let server: TestServer;
let session: Login;
let agent: AgentClient;
let other: { companyId: string; publicKey: string; session: Login };

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  agent = await openAgent(server.url, session);
  agent.send({ type: 'agent.hello' });
  await agent.waitFor('agent.ready');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = { companyId: company.id, publicKey: company.publicKey, session: await login(server.url, company.id, 'admin', 'other-password-1') };
});

afterAll(async () => {
  await agent?.close();
  await server?.dispose();
});

describe('bad frames on the agent socket', () => {
  it('malformed JSON, unknown types and invalid fields get error frames and the socket stays open', async () => {
    agent.sendRaw('{not json');
    expect((await agent.waitFor('error', (e) => e.code === 'bad_json')).message).toMatch(/JSON/);
    agent.send({ type: 'teleport', ref: 'r-1' });
    expect((await agent.waitFor('error', (e) => e.ref === 'r-1')).code).toBe('unknown_type');
    agent.send({ type: 'agent.status.set', status: 'sleeping', ref: 'r-2' });
    expect((await agent.waitFor('error', (e) => e.ref === 'r-2')).code).toBe('bad_frame');
    agent.send({ type: 'ping' });
    await agent.waitFor('pong');
    expect(agent.closed).toBeNull();
  });

  it('a frame over 64 KB and an over-long message are refused and nothing is stored', async () => {
    agent.sendRaw(JSON.stringify({ v: 1, type: 'ping', pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    await agent.waitFor('error', (e) => e.code === 'too_large');
    const visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-long-0001');
    visitor.send({ type: 'visitor.hello' });
    await visitor.waitFor('visitor.ready');
    visitor.send({ type: 'chat.request' });
    const { conversationId } = await visitor.waitFor('chat.queued');
    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'long-1', text: 'y'.repeat(MAX_MESSAGE_LENGTH + 1), ref: 'long' });
    expect((await visitor.waitFor('error', (e) => e.ref === 'long')).code).toBe('bad_frame');
    const history = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items).toEqual([]);
    expect(visitor.closed).toBeNull();
    await visitor.close();
  });

  it('another company cannot accept, write to or read our conversations', async () => {
    const visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-tenant-001');
    visitor.send({ type: 'visitor.hello' });
    await visitor.waitFor('visitor.ready');
    visitor.send({ type: 'chat.request', text: 'private', clientMsgId: 'p-1' });
    const { conversationId } = await visitor.waitFor('chat.queued');

    const intruder = await openAgent(server.url, other.session);
    intruder.send({ type: 'agent.hello' });
    const ready = await intruder.waitFor('agent.ready');
    expect(ready.queue).toEqual([]);
    intruder.send({ type: 'conversation.accept', conversationId, ref: 'steal' });
    expect((await intruder.waitFor('error', (e) => e.ref === 'steal')).code).toBe('not_found');
    intruder.send({ type: 'message.send', conversationId, clientMsgId: 'x-1', text: 'hi', ref: 'write' });
    expect((await intruder.waitFor('error', (e) => e.ref === 'write')).code).toBe('not_found');
    intruder.send({ type: 'conversation.history', conversationId, ref: 'read' });
    expect((await intruder.waitFor('error', (e) => e.ref === 'read')).code).toBe('not_found');
    expect((await api(server.url, other.session, 'GET', `/api/v1/conversations/${conversationId}/messages`)).status).toBe(404);
    const list = await api(server.url, other.session, 'GET', '/api/v1/conversations');
    expect(list.json.items.map((c: { id: string }) => c.id)).not.toContain(conversationId);
    await intruder.close();

    // Our own agent still can take it: the failed attempts changed nothing.
    agent.send({ type: 'conversation.accept', conversationId });
    await visitor.waitFor('chat.assigned');
    agent.send({ type: 'conversation.accept', conversationId, ref: 'twice' });
    expect((await agent.waitFor('error', (e) => e.ref === 'twice')).code).toBe('already_taken');
    await visitor.close();
  });

  it('a visitor cannot write into another visitor\'s conversation', async () => {
    const a = await openVisitor(server.url, server.demo!.publicKey, 'visitor-aaaa-9999');
    a.send({ type: 'chat.request' });
    const { conversationId } = await a.waitFor('chat.queued');
    const b = await openVisitor(server.url, server.demo!.publicKey, 'visitor-bbbb-9999');
    b.send({ type: 'message.send', conversationId, clientMsgId: 'b-1', text: 'hijack', ref: 'h' });
    expect((await b.waitFor('error', (e) => e.ref === 'h')).code).toBe('not_found');
    await a.close();
    await b.close();
  });
});

describe('HTTP and upgrade without a session', () => {
  it('REST calls without a session get 401 JSON; without the CSRF header 403', async () => {
    const anon = await api(server.url, null, 'GET', '/api/v1/conversations');
    expect(anon.status).toBe(401);
    expect(anon.json.error.code).toBe('unauthorized');
    const noCsrf = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: session.cookie } });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as any).error.code).toBe('csrf_failed');
    const badJson = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as any).error.code).toBe('bad_json');
    const unknown = await api(server.url, session, 'GET', '/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect((await api(server.url, session, 'GET', '/api/v1/conversations?limit=100000')).status).toBe(400);
  });

  it('the agent socket refuses no cookie, a forged cookie and a foreign Origin; the visitor socket refuses a forged key', async () => {
    const ws = server.url.replace('http', 'ws');
    await expect(FrameClient.open(`${ws}/ws/agent`, { origin: server.url })).rejects.toThrow(/401/);
    await expect(FrameClient.open(`${ws}/ws/agent`, { origin: server.url, cookie: 'sb_session=forgedforgedforgedforged' })).rejects.toThrow(/401/);
    await expect(FrameClient.open(`${ws}/ws/agent`, { origin: 'https://evil.example', cookie: session.cookie })).rejects.toThrow(/403/);
    await expect(openVisitor(server.url, 'forgedkeyforgedkey', 'visitor-x-000001')).rejects.toThrow(/403/);
  });

  it('healthz reports both stores and metrics are Prometheus text', async () => {
    const health = await api(server.url, null, 'GET', '/healthz');
    expect(health.json).toEqual({ status: 'ok', checks: { postgres: 'ok', clickhouse: 'ok' } });
    const metrics = await api(server.url, null, 'GET', '/metrics');
    expect(metrics.text).toMatch(/switchboard_agent_connections \d+/);
    expect(metrics.text).toMatch(/switchboard_queue_length \d+/);
  });
});
