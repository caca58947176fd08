// F2 broadcasts over the real server: to everyone, groups and persons; sent
// now, at next login, or at a set time (also across a restart); sent and
// received lists with read state; 400 / 403 / 404 answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let companyId: string;
let admin: Login;
let other: Login;
const pw = 'agent-password-1';

beforeAll(async () => {
  server = await startTestServer();
  companyId = server.demo!.companyId;
  admin = await login(server.url, companyId, server.demo!.agentId, server.demo!.password);
  for (const id of ['bea', 'carl', 'dora']) {
    await server.stores.accounts.createAgent(companyId, { id, name: id.toUpperCase(), passwordHash: await hashPassword(pw), permissions: ['accept_chats'] });
  }
  // A group with carl only, made as the owner (there is no groups API yet).
  const sql = postgres(server.db.ownerUrl, { max: 1, onnotice: () => {} });
  await sql`insert into groups (company_id, id, name) values (${companyId}, 'sales', 'Sales')`;
  await sql`insert into group_members (company_id, group_id, agent_id) values (${companyId}, 'sales', 'carl')`;
  await sql.end();
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

const received = async (s: Login) => (await api(server.url, s, 'GET', '/api/v1/broadcasts/received')).json.items as Array<{ id: number; text: string; readAt: number | null }>;

describe('F2 broadcasts', () => {
  it('sends to everyone now: a live popup frame, the received list, read state and sent counts', async () => {
    const bea = await login(server.url, companyId, 'bea', pw);
    const socket = await openAgent(server.url, bea);
    socket.send({ type: 'agent.hello' });
    await socket.waitFor('agent.ready');
    const res = await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'Meeting at 3pm', audience: 'all', delivery: 'now' });
    expect(res.status).toBe(201);
    expect(res.json.recipients).toBe(3);
    const frame = await socket.waitFor('broadcast.received');
    expect(frame.broadcast).toMatchObject({ id: res.json.broadcast.id, text: 'Meeting at 3pm', senderName: 'Demo Admin', readAt: null });
    expect((await received(bea)).map((b) => b.text)).toEqual(['Meeting at 3pm']);
    expect(await received(admin)).toEqual([]); // not to the sender
    expect((await api(server.url, bea, 'POST', `/api/v1/broadcasts/${res.json.broadcast.id}/read`)).status).toBe(200);
    expect((await received(bea))[0]!.readAt).toEqual(expect.any(Number));
    const sent = (await api(server.url, admin, 'GET', '/api/v1/broadcasts/sent')).json.items;
    expect(sent[0]).toMatchObject({ text: 'Meeting at 3pm', recipients: 3, read: 1 });
    await socket.close();
  });

  it('sends to a group and to named persons only', async () => {
    await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'Sales only', audience: 'groups', targets: ['sales'] });
    await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'For Dora', audience: 'agents', targets: ['dora'] });
    const [bea, carl, dora] = await Promise.all(['bea', 'carl', 'dora'].map((id) => login(server.url, companyId, id, pw)));
    expect((await received(carl!)).map((b) => b.text)).toContain('Sales only');
    expect((await received(bea!)).map((b) => b.text)).not.toContain('Sales only');
    expect((await received(dora!)).map((b) => b.text)).toContain('For Dora');
    expect((await received(carl!)).map((b) => b.text)).not.toContain('For Dora');
    const targets = (await api(server.url, admin, 'GET', '/api/v1/broadcasts/targets')).json;
    expect(targets.groups).toEqual([{ id: 'sales', name: 'Sales' }]);
    expect(targets.agents.map((a: { id: string }) => a.id)).toEqual(['bea', 'carl', 'dora']);
  });

  it('"at next login" shows only to sessions that start after it', async () => {
    const before = await login(server.url, companyId, 'bea', pw);
    await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'On login', delivery: 'login' });
    expect((await received(before)).map((b) => b.text)).not.toContain('On login');
    const after = await login(server.url, companyId, 'bea', pw);
    expect((await received(after)).map((b) => b.text)).toContain('On login');
  });

  it('sends a scheduled broadcast at its time, live, and one whose time passed while the server was down at boot', async () => {
    const dora = await login(server.url, companyId, 'dora', pw);
    const socket = await openAgent(server.url, dora);
    socket.send({ type: 'agent.hello' });
    await socket.waitFor('agent.ready');
    const soon = await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'Timed', delivery: 'at', sendAt: Date.now() + 1500 });
    expect(soon.status).toBe(201);
    expect(soon.json.broadcast.sentAt).toBeNull();
    expect((await received(dora)).map((b) => b.text)).not.toContain('Timed');
    const frame = await socket.waitFor('broadcast.received', (f) => f.broadcast.text === 'Timed', 15_000);
    expect(frame.broadcast.sentAt).toEqual(expect.any(Number));
    await socket.close();

    const sendAt = Date.now() + 1200;
    expect((await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'After restart', delivery: 'at', sendAt })).status).toBe(201);
    await server.close();
    while (Date.now() <= sendAt) await new Promise((r) => setTimeout(r, 100));
    server = await server.restart();
    const dora2 = await login(server.url, companyId, 'dora', pw);
    let texts: string[] = [];
    for (let i = 0; i < 100 && !texts.includes('After restart'); i++) {
      texts = (await received(dora2)).map((b) => b.text);
      if (!texts.includes('After restart')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(texts).toContain('After restart');
    const sent = (await api(server.url, await login(server.url, companyId, 'admin', server.demo!.password), 'GET', '/api/v1/broadcasts/sent')).json.items;
    expect(sent.filter((b: { text: string }) => b.text === 'After restart')).toHaveLength(1);
  });

  it('answers 400 for bad input, 403 without manage_agents, 404 for unknown targets and foreign ids', async () => {
    admin = await login(server.url, companyId, 'admin', server.demo!.password);
    for (const body of [
      {}, { text: '' }, { text: 'x'.repeat(2001) }, { text: 'x', audience: 'everyone' }, { text: 'x', audience: 'groups' },
      { text: 'x', audience: 'agents', targets: ['bad id'] }, { text: 'x', delivery: 'later' }, { text: 'x', delivery: 'at' },
      { text: 'x', delivery: 'at', sendAt: Date.now() - 1000 }, { text: 'x', delivery: 'now', sendAt: Date.now() + 5000 }, 'x',
    ]) {
      expect((await api(server.url, admin, 'POST', '/api/v1/broadcasts', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'x', audience: 'agents', targets: ['ghost'] })).status).toBe(404);
    expect((await api(server.url, admin, 'POST', '/api/v1/broadcasts', { text: 'x', audience: 'groups', targets: ['nogroup'] })).status).toBe(404);
    const bea = await login(server.url, companyId, 'bea', pw);
    expect((await api(server.url, bea, 'POST', '/api/v1/broadcasts', { text: 'hi' })).status).toBe(403);
    expect((await api(server.url, bea, 'GET', '/api/v1/broadcasts/sent')).status).toBe(403);
    expect((await api(server.url, bea, 'GET', '/api/v1/broadcasts/targets')).status).toBe(403);
    // Another company: none of ours are visible, and ids of ours cannot be marked.
    other = await login(server.url, other.body.companyId, 'admin', 'other-password-1');
    expect(await received(other)).toEqual([]);
    expect((await api(server.url, other, 'GET', '/api/v1/broadcasts/sent')).json.items).toEqual([]);
    const ours = (await received(bea))[0]!;
    expect((await api(server.url, other, 'POST', `/api/v1/broadcasts/${ours.id}/read`)).status).toBe(404);
    expect((await api(server.url, other, 'POST', '/api/v1/broadcasts/abc/read')).status).toBe(400);
    expect((await api(server.url, other, 'POST', '/api/v1/broadcasts', { text: 'x', audience: 'agents', targets: ['bea'] })).status).toBe(404);
  });
});
