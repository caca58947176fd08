// A5 agent management over the real server: add, edit, disable/enable, delete;
// 400 on bad input, 403 without manage_agents, 404 for another company's agents,
// and the `agent.permissions` push to the edited agent's open console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';

let server: TestServer;
let admin: Login;
let other: Login;
let companyId: string;

beforeAll(async () => {
  server = await startTestServer();
  companyId = server.demo!.companyId;
  admin = await login(server.url, companyId, server.demo!.agentId, server.demo!.password);
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('A5 agent management', () => {
  it('adds an agent who can then log in with the given permissions', async () => {
    const res = await api(server.url, admin, 'POST', '/api/v1/agents', {
      id: 'amy', name: 'Amy', password: 'amy-password-1', permissions: ['accept_chats', 'transfer'], maxChats: 3, autoAccept: true,
    });
    expect(res.status).toBe(201);
    expect(res.json.agent).toMatchObject({ id: 'amy', name: 'Amy', role: 'agent', permissions: ['accept_chats', 'transfer'], maxChats: 3, autoAccept: true, disabled: false });
    const amy = await login(server.url, companyId, 'amy', 'amy-password-1');
    expect(amy.body.agent.permissions).toEqual(['accept_chats', 'transfer']);
    const list = await api(server.url, admin, 'GET', '/api/v1/agents');
    expect(list.json.agents.map((a: { id: string }) => a.id)).toEqual(['admin', 'amy']);
    expect(list.json.catalogue).toContain('manage_agents');
    expect((await api(server.url, admin, 'POST', '/api/v1/agents', { id: 'amy', name: 'Again', password: 'amy-password-2' })).status).toBe(409);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    for (const body of [
      {}, { id: 'bad id', name: 'X', password: 'long-enough-1' }, { id: 'x1', name: '', password: 'long-enough-1' },
      { id: 'x1', name: 'X', password: 'short' }, { id: 'x1', name: 'X', password: 'long-enough-1', permissions: ['root'] },
      { id: 'x1', name: 'X', password: 'long-enough-1', maxChats: -1 }, { id: 'x1', name: 'X', password: 'long-enough-1', autoAccept: 'yes' }, 'x',
    ]) {
      const res = await api(server.url, admin, 'POST', '/api/v1/agents', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ maxChats: 1.5 }, { permissions: 'all' }, { disabled: 'no' }, { role: 'admin' }, { name: '' }]) {
      expect((await api(server.url, admin, 'PATCH', '/api/v1/agents/amy', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(server.url, admin, 'GET', '/api/v1/agents')).json.agents).toHaveLength(2);
  });

  it('pushes agent.permissions to the open console when an admin revokes a permission', async () => {
    const amy = await login(server.url, companyId, 'amy', 'amy-password-1');
    const socket = await openAgent(server.url, amy);
    socket.send({ type: 'agent.hello' });
    await socket.waitFor('agent.ready');
    const res = await api(server.url, admin, 'PATCH', '/api/v1/agents/amy', { permissions: ['accept_chats'], name: 'Amy Li', maxChats: 4 });
    expect(res.status).toBe(200);
    expect(res.json.agent).toMatchObject({ name: 'Amy Li', permissions: ['accept_chats'], maxChats: 4 });
    const pushed = await socket.waitFor('agent.permissions');
    expect(pushed).toMatchObject({ role: 'agent', permissions: ['accept_chats'], disabled: false });
    // HTTP sees it on the next request: the authenticator re-reads the agent.
    expect((await api(server.url, amy, 'GET', '/api/v1/auth/me')).json.agent.permissions).toEqual(['accept_chats']);
    await socket.close();
  });

  it('a disabled agent cannot log in and their session stops working; enabling lets them back', async () => {
    const amy = await login(server.url, companyId, 'amy', 'amy-password-1');
    const socket = await openAgent(server.url, amy);
    socket.send({ type: 'agent.hello' });
    await socket.waitFor('agent.ready');
    expect((await api(server.url, admin, 'PATCH', '/api/v1/agents/amy', { disabled: true })).json.agent.disabled).toBe(true);
    expect((await socket.waitFor('agent.permissions')).disabled).toBe(true);
    expect((await api(server.url, amy, 'GET', '/api/v1/auth/me')).status).toBe(401);
    await expect(login(server.url, companyId, 'amy', 'amy-password-1')).rejects.toThrow(/401/);
    expect((await api(server.url, admin, 'PATCH', '/api/v1/agents/amy', { disabled: false })).status).toBe(200);
    // The old cookie stays dead (sessions were deleted); a new login works.
    expect((await api(server.url, amy, 'GET', '/api/v1/auth/me')).status).toBe(401);
    await login(server.url, companyId, 'amy', 'amy-password-1');
    await socket.close();
  });

  it('403 without manage_agents, and a manager grants only what they hold', async () => {
    const amy = await login(server.url, companyId, 'amy', 'amy-password-1');
    for (const [method, path, body] of [
      ['GET', '/api/v1/agents', undefined], ['POST', '/api/v1/agents', { id: 'z1', name: 'Z', password: 'long-enough-1' }],
      ['PATCH', '/api/v1/agents/amy', { permissions: ['accept_chats', 'manage_agents'] }], ['DELETE', '/api/v1/agents/admin', undefined],
    ] as const) {
      expect((await api(server.url, amy, method, path, body)).status, `${method} ${path}`).toBe(403);
    }
    await api(server.url, admin, 'PATCH', '/api/v1/agents/amy', { permissions: ['accept_chats', 'manage_agents'] });
    expect((await api(server.url, amy, 'GET', '/api/v1/agents')).status).toBe(200);
    expect((await api(server.url, amy, 'PATCH', '/api/v1/agents/amy', { permissions: ['accept_chats', 'manage_agents', 'export'] })).status).toBe(403);
    expect((await api(server.url, amy, 'PATCH', '/api/v1/agents/admin', { permissions: [] })).status).toBe(403);
    expect((await api(server.url, amy, 'PATCH', '/api/v1/agents/amy', { disabled: true })).status).toBe(409);
    expect((await api(server.url, amy, 'DELETE', '/api/v1/agents/admin')).status).toBe(403);
  });

  it('404 for another company\'s agents and unknown ids; delete removes the agent', async () => {
    expect((await api(server.url, other, 'PATCH', '/api/v1/agents/amy', { name: 'Stolen' })).status).toBe(404);
    expect((await api(server.url, other, 'DELETE', '/api/v1/agents/amy')).status).toBe(404);
    expect((await api(server.url, other, 'GET', '/api/v1/agents')).json.agents.map((a: { id: string }) => a.id)).toEqual(['admin']);
    expect((await api(server.url, admin, 'PATCH', '/api/v1/agents/nobody', { name: 'X' })).status).toBe(404);
    expect((await api(server.url, admin, 'DELETE', '/api/v1/agents/amy')).status).toBe(200);
    expect((await api(server.url, admin, 'DELETE', '/api/v1/agents/amy')).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/agents')).status).toBe(401);
  });
});
