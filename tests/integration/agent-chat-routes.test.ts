// F1 agent-to-agent chat over the real server: threads with timestamps, unread
// counts and read state, files, live `agentchat.message` delivery, and the
// usual 400 / 401 / 404-for-another-company answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, type AgentClient, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let admin: Login;
let bob: Login;
let other: Login;
let bobSocket: AgentClient;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  await server.stores.accounts.createAgent(demo.companyId, { id: 'bob', name: 'Bob', passwordHash: await hashPassword('bob-password-1'), permissions: ['accept_chats'] });
  bob = await login(server.url, demo.companyId, 'bob', 'bob-password-1');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
  bobSocket = await openAgent(server.url, bob);
  bobSocket.send({ type: 'agent.hello' });
  await bobSocket.waitFor('agent.ready');
});

afterAll(async () => {
  await bobSocket?.close();
  await server?.dispose();
});

async function upload(body: Buffer, name: string, s: Login) {
  const res = await fetch(`${server.url}/api/v1/agent-chat/files?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/octet-stream' }, body,
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('F1 agent-to-agent chat', () => {
  it('lists colleagues with status and unread counts, delivers live, and counts unread until read', async () => {
    const contacts = await api(server.url, admin, 'GET', '/api/v1/agent-chat/contacts');
    expect(contacts.json.presence).toBe(true);
    expect(contacts.json.contacts).toEqual([expect.objectContaining({ id: 'bob', name: 'Bob', unread: 0, status: 'online' })]);

    const sent = await api(server.url, admin, 'POST', '/api/v1/agent-chat/threads/bob/messages', { text: 'Can you take the VIP?' });
    expect(sent.status).toBe(201);
    expect(sent.json.message).toMatchObject({ fromAgentId: 'admin', toAgentId: 'bob', text: 'Can you take the VIP?', file: null, readAt: null });
    expect(typeof sent.json.message.at).toBe('number');
    const live = await bobSocket.waitFor('agentchat.message');
    expect(live.message).toEqual(sent.json.message);

    await api(server.url, admin, 'POST', '/api/v1/agent-chat/threads/bob/messages', { text: '<b>second</b>' });
    expect((await api(server.url, bob, 'GET', '/api/v1/agent-chat/unread')).json.unread).toBe(2);
    const bobContacts = (await api(server.url, bob, 'GET', '/api/v1/agent-chat/contacts')).json.contacts;
    expect(bobContacts.find((c: { id: string }) => c.id === 'admin')).toMatchObject({ unread: 2 });

    const reply = await api(server.url, bob, 'POST', '/api/v1/agent-chat/threads/admin/messages', { text: 'Sure' });
    expect(reply.status).toBe(201);
    const thread = (await api(server.url, bob, 'GET', '/api/v1/agent-chat/threads/admin')).json.messages;
    expect(thread.map((m: { text: string }) => m.text)).toEqual(['Can you take the VIP?', '<b>second</b>', 'Sure']);
    expect((await api(server.url, bob, 'POST', '/api/v1/agent-chat/threads/admin/read')).json.read).toBe(2);
    expect((await api(server.url, bob, 'GET', '/api/v1/agent-chat/unread')).json.unread).toBe(0);
    expect((await api(server.url, admin, 'GET', '/api/v1/agent-chat/unread')).json.unread).toBe(1);
    const older = await api(server.url, bob, 'GET', `/api/v1/agent-chat/threads/admin?beforeId=${thread[2].id}`);
    expect(older.json.messages).toHaveLength(2);
  });

  it('sends a file uploaded for internal chat, and only one\'s own upload', async () => {
    const up = await upload(Buffer.from('%PDF-1.4\nhello\n%%EOF\n'), 'plan.pdf', admin);
    expect(up.status).toBe(201);
    expect(up.json.file).toMatchObject({ name: 'plan.pdf', mime: 'application/pdf', kind: 'file' });
    const sent = await api(server.url, admin, 'POST', '/api/v1/agent-chat/threads/bob/messages', { fileKey: up.json.file.key });
    expect(sent.status).toBe(201);
    expect(sent.json.message.file).toMatchObject({ key: up.json.file.key, name: 'plan.pdf', kind: 'file' });
    const got = await fetch(`${server.url}/api/v1/files/${up.json.file.key}`, { headers: { cookie: bob.cookie } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toMatch(/attachment/);
    // Bob cannot forward admin's upload as his own, and another company cannot read it.
    expect((await api(server.url, bob, 'POST', '/api/v1/agent-chat/threads/admin/messages', { fileKey: up.json.file.key })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/files/${up.json.file.key}`, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await upload(Buffer.from('MZ\x90\x00', 'latin1'), 'x.exe', admin)).status).toBe(415);
  });

  it('answers 400 for bad input, 404 for unknown or another company\'s agents, 401 without a session', async () => {
    for (const body of [{}, { text: '' }, { text: 5 }, { text: 'x'.repeat(4001) }, { fileKey: '../etc' }, 'x']) {
      expect((await api(server.url, admin, 'POST', '/api/v1/agent-chat/threads/bob/messages', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(server.url, admin, 'POST', '/api/v1/agent-chat/threads/admin/messages', { text: 'me' })).status).toBe(400);
    expect((await api(server.url, admin, 'GET', '/api/v1/agent-chat/threads/bob?beforeId=abc')).status).toBe(400);
    // Company "Other Co" also has an agent 'admin' but no 'bob'.
    expect((await api(server.url, other, 'POST', '/api/v1/agent-chat/threads/bob/messages', { text: 'hi' })).status).toBe(404);
    expect((await api(server.url, other, 'GET', '/api/v1/agent-chat/threads/bob')).status).toBe(404);
    expect((await api(server.url, other, 'POST', '/api/v1/agent-chat/threads/bob/read')).status).toBe(404);
    expect((await api(server.url, other, 'GET', '/api/v1/agent-chat/contacts')).json.contacts).toEqual([]);
    expect((await api(server.url, admin, 'GET', '/api/v1/agent-chat/threads/nobody')).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/agent-chat/contacts')).status).toBe(401);
  });

  it('RLS backstop: the app role without a company sees no internal messages or broadcasts and cannot insert', async () => {
    const sql = postgres(server.db.appUrl, { max: 1, onnotice: () => {} });
    try {
      for (const table of ['agent_messages', 'broadcasts', 'broadcast_recipients']) {
        expect((await sql.unsafe(`select count(*)::int as n from ${table}`))[0]!.n, table).toBe(0);
      }
      await expect(sql`insert into agent_messages (company_id, from_agent, to_agent, text) values (${server.demo!.companyId}, 'admin', 'bob', 'x')`).rejects.toThrow();
    } finally {
      await sql.end();
    }
  });
});
