// B4 per-agent settings over the real server: defaults, partial updates,
// validation, and each agent (and company) keeping its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';
import { DEFAULT_AGENT_SETTINGS } from '../../server/src/ports/agent-settings-store.js';

let server: TestServer;
let admin: Login;
let agent: Login;
let other: Login;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  await server.stores.accounts.createAgent(demo.companyId, { id: 'set-agent', name: 'S', passwordHash: await hashPassword('agent-password-1') });
  agent = await login(server.url, demo.companyId, 'set-agent', 'agent-password-1');
  // Same agent id 'admin' in another company: its settings must stay apart.
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('B4 agent settings', () => {
  it('starts from the defaults (Enter, Alt+Z) and stores partial updates per agent', async () => {
    expect((await api(server.url, admin, 'GET', '/api/v1/me/settings')).json.settings).toEqual(DEFAULT_AGENT_SETTINGS);
    const put = await api(server.url, admin, 'PUT', '/api/v1/me/settings', { sendKey: 'ctrlEnter', nextChatShortcut: 'Ctrl+Shift+N', notifySound: false });
    expect(put.status).toBe(200);
    expect(put.json.settings).toMatchObject({ sendKey: 'ctrlEnter', nextChatShortcut: 'Ctrl+Shift+N', notifySound: false, notifyPopup: true });
    const again = await api(server.url, admin, 'PUT', '/api/v1/me/settings', { switchAfterSend: true, visitorColumns: ['status', 'visitorId', 'region'] });
    expect(again.json.settings).toMatchObject({ sendKey: 'ctrlEnter', switchAfterSend: true, visitorColumns: ['status', 'visitorId', 'region'] });
    expect((await api(server.url, admin, 'GET', '/api/v1/me/settings')).json.settings.sendKey).toBe('ctrlEnter');
    expect((await api(server.url, agent, 'GET', '/api/v1/me/settings')).json.settings).toEqual(DEFAULT_AGENT_SETTINGS);
    expect((await api(server.url, other, 'GET', '/api/v1/me/settings')).json.settings).toEqual(DEFAULT_AGENT_SETTINGS);
  });

  it('refuses unknown keys and bad values with 400 JSON, leaving settings unchanged', async () => {
    const before = (await api(server.url, agent, 'GET', '/api/v1/me/settings')).json.settings;
    for (const body of [
      { sendKey: 'space' }, { nextChatShortcut: 'Z' }, { nextChatShortcut: 'Alt+Ctrl+Z' }, { nextChatShortcut: 'Alt+<b>' },
      { switchAfterSend: 'yes' }, { notifyPopup: 1 }, { visitorColumns: 'all' }, { visitorColumns: ['<img>'] }, { agentId: 'admin' }, 'x',
    ]) {
      const res = await api(server.url, agent, 'PUT', '/api/v1/me/settings', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    expect((await api(server.url, agent, 'GET', '/api/v1/me/settings')).json.settings).toEqual(before);
    expect((await api(server.url, null, 'GET', '/api/v1/me/settings')).status).toBe(401);
  });
});
