// E10 conversation evaluation over the real server: the topic list (order, one
// default, 'settings' permission), evaluating live and ended chats, who may
// evaluate, the pending queue dropping as chats are evaluated, and tenancy.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let admin: Login;
let agent: Login;
let peer: Login;
let other: Login;
let companyId: string;

/** Conversation fixtures written as the owner (the chat flow itself is tested elsewhere). */
async function conversation(id: string, agentId: string, state: 'active' | 'ended', endedMinutesAgo = 1): Promise<void> {
  const sql = postgres(server.db.ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into conversations (company_id, id, visitor_id, visitor_name, agent_id, state, ended_at)
              values (${companyId}, ${id}, ${`v-${id}`}, ${`访客 ${id}`}, ${agentId}, ${state},
                      ${state === 'ended' ? new Date(Date.now() - endedMinutesAgo * 60_000) : null})`;
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  companyId = demo.companyId;
  admin = await login(server.url, companyId, demo.agentId, demo.password);
  for (const id of ['eval-agent', 'eval-peer']) {
    await server.stores.accounts.createAgent(companyId, { id, name: id, passwordHash: await hashPassword('agent-password-1'), permissions: ['accept_chats'] });
  }
  agent = await login(server.url, companyId, 'eval-agent', 'agent-password-1');
  peer = await login(server.url, companyId, 'eval-peer', 'agent-password-1');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('E10 topics', () => {
  it('admins set the list with order and one default; agents read it', async () => {
    const topics = [{ name: '售后咨询' }, { name: '产品咨询', isDefault: true }, { name: '投诉' }];
    const res = await api(server.url, admin, 'PUT', '/api/v1/evaluation-topics', { topics });
    expect(res.status).toBe(200);
    expect(res.json.items.map((t: any) => [t.name, t.sort, t.isDefault])).toEqual([['售后咨询', 0, false], ['产品咨询', 1, true], ['投诉', 2, false]]);
    expect((await api(server.url, agent, 'GET', '/api/v1/evaluation-topics')).json.items.map((t: any) => t.name)).toEqual(['售后咨询', '产品咨询', '投诉']);
    expect((await api(server.url, agent, 'PUT', '/api/v1/evaluation-topics', { topics: [] })).status).toBe(403);
    expect((await api(server.url, other, 'GET', '/api/v1/evaluation-topics')).json.items).toEqual([]);
  });

  it('refuses two defaults, duplicates, empty names and non-lists', async () => {
    for (const body of [
      { topics: [{ name: 'a', isDefault: true }, { name: 'b', isDefault: true }] }, { topics: [{ name: 'a' }, { name: 'a' }] },
      { topics: [{ name: ' ' }] }, { topics: 'a,b' }, { topics: [{ name: 'a', isDefault: 'yes' }] }, [],
    ]) {
      const res = await api(server.url, admin, 'PUT', '/api/v1/evaluation-topics', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
  });
});

describe('E10 evaluations', () => {
  it('the pending queue lists my ended chats without evaluation and drops as I evaluate', async () => {
    await conversation('eval-c1', 'eval-agent', 'ended', 5);
    await conversation('eval-c2', 'eval-agent', 'ended', 1);
    await conversation('eval-c3', 'eval-agent', 'active');
    await conversation('eval-c4', 'eval-peer', 'ended');
    const before = await api(server.url, agent, 'GET', '/api/v1/evaluations/pending');
    expect(before.json.total).toBe(2);
    expect(before.json.items.map((i: any) => i.conversationId)).toEqual(['eval-c2', 'eval-c1']);

    const saved = await api(server.url, agent, 'PUT', '/api/v1/conversations/eval-c2/evaluation', {
      name: '刘女士', gender: 'female', category: '确认中', phone: '13456789000', channel: '官网', topic: '产品咨询', level: 'A', remarks: '<b>想要发票</b>',
    });
    expect(saved.status).toBe(200);
    expect(saved.json.evaluation).toMatchObject({ conversationId: 'eval-c2', agentId: 'eval-agent', topic: '产品咨询', remarks: '<b>想要发票</b>' });
    const after = await api(server.url, agent, 'GET', '/api/v1/evaluations/pending');
    expect(after.json).toMatchObject({ total: 1, items: [{ conversationId: 'eval-c1' }] });
    expect((await api(server.url, agent, 'GET', '/api/v1/conversations/eval-c2/evaluation')).json.evaluation.name).toBe('刘女士');

    // A live chat can be evaluated too, and saving again updates it.
    expect((await api(server.url, agent, 'PUT', '/api/v1/conversations/eval-c3/evaluation', { level: 'B' })).status).toBe(200);
    const again = await api(server.url, agent, 'PUT', '/api/v1/conversations/eval-c3/evaluation', { level: 'C' });
    expect(again.json.evaluation.level).toBe('C');
    expect((await api(server.url, agent, 'GET', '/api/v1/conversations/eval-c9/evaluation')).status).toBe(404);
  });

  it('only the serving agent or a supervisor may evaluate; other companies get 404', async () => {
    await conversation('eval-c5', 'eval-agent', 'ended');
    expect((await api(server.url, peer, 'PUT', '/api/v1/conversations/eval-c5/evaluation', { level: 'A' })).status).toBe(403);
    expect((await api(server.url, peer, 'GET', '/api/v1/conversations/eval-c5/evaluation')).status).toBe(403);
    expect((await api(server.url, admin, 'PUT', '/api/v1/conversations/eval-c5/evaluation', { level: 'A' })).status).toBe(200);
    expect((await api(server.url, other, 'GET', '/api/v1/conversations/eval-c5/evaluation')).status).toBe(404);
    expect((await api(server.url, other, 'PUT', '/api/v1/conversations/eval-c5/evaluation', { level: 'Z' })).status).toBe(404);
    expect((await api(server.url, other, 'GET', '/api/v1/evaluations/pending')).json).toEqual({ items: [], total: 0 });
  });

  it('refuses unknown topics, bad genders, long fields and non-objects', async () => {
    await conversation('eval-c6', 'eval-agent', 'ended');
    for (const body of [{ topic: '没有这个主题' }, { gender: 'other' }, { remarks: 'x'.repeat(2001) }, { phone: 12345 }, 'text', null]) {
      const res = await api(server.url, agent, 'PUT', '/api/v1/conversations/eval-c6/evaluation', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    expect((await api(server.url, agent, 'GET', '/api/v1/evaluations/pending?limit=-1')).status).toBe(400);
  });
});
