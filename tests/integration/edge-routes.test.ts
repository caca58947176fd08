// C3 IP blocking and C4 service regions over the real server: permission-gated
// REST, the EdgeGuard decision (block visitor vs block chat, end times, regions)
// and the widget seeing it, with X-Forwarded-For from an untrusted peer ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let session: Login;
let companyId: string;
let other: { companyId: string; session: Login };

const config = (headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/widget/config?key=${server.demo!.publicKey}`, { headers }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
const offline = (headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v1/widget/offline-messages?key=${server.demo!.publicKey}&vid=visitor-edge-0001`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ reason: 'offline', fields: { content: 'hello' } }),
  });

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  companyId = demo.companyId;
  session = await login(server.url, companyId, demo.agentId, demo.password);
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = { companyId: company.id, session: await login(server.url, company.id, 'admin', 'other-password-1') };
});

afterAll(async () => {
  await server?.dispose();
});

describe('C3 blocks REST', () => {
  it('needs the blocking permission (regions need settings); admins have both', async () => {
    await server.stores.accounts.createAgent(companyId, { id: 'edge-plain', name: 'Plain', passwordHash: await hashPassword('plain-password-1'), permissions: ['accept_chats'] });
    await server.stores.accounts.createAgent(companyId, { id: 'edge-blocker', name: 'Blocker', passwordHash: await hashPassword('block-password-1'), permissions: ['blocking'] });
    const plain = await login(server.url, companyId, 'edge-plain', 'plain-password-1');
    const blocker = await login(server.url, companyId, 'edge-blocker', 'block-password-1');
    expect((await api(server.url, plain, 'GET', '/api/v1/blocks')).status).toBe(403);
    expect((await api(server.url, plain, 'POST', '/api/v1/blocks', { target: '192.0.2.1', kind: 'chat' })).status).toBe(403);
    expect((await api(server.url, blocker, 'GET', '/api/v1/blocks')).status).toBe(200);
    expect((await api(server.url, blocker, 'GET', '/api/v1/service-regions')).status).toBe(403);
    expect((await api(server.url, null, 'GET', '/api/v1/blocks')).status).toBe(401);
  });

  it('validates targets, kinds and end times, and stores canonical CIDRs', async () => {
    for (const body of [
      { target: '10.0.0.1/8', kind: 'chat' }, { target: 'not-an-ip', kind: 'chat' }, { target: '010.1.1.1', kind: 'visitor' },
      { target: '192.0.2.1', kind: 'everything' }, { target: '192.0.2.1', kind: 'chat', until: Date.now() - 1000 },
      { target: '192.0.2.1', kind: 'chat', until: 'soon' }, 'just a string',
    ]) {
      expect((await api(server.url, session, 'POST', '/api/v1/blocks', body)).status, JSON.stringify(body)).toBe(400);
    }
    const res = await api(server.url, session, 'POST', '/api/v1/blocks', { target: '2001:DB8:0:0::/32', kind: 'chat' });
    expect(res.status).toBe(201);
    expect(res.json.block).toMatchObject({ target: '2001:db8::/32', kind: 'chat', until: null, createdBy: server.demo!.agentId });
    // Company-wide, and only for this company.
    expect((await api(server.url, other.session, 'GET', '/api/v1/blocks')).json.items).toEqual([]);
    expect((await api(server.url, other.session, 'DELETE', `/api/v1/blocks/${res.json.block.id}`)).status).toBe(404);
    expect((await api(server.url, session, 'DELETE', `/api/v1/blocks/${res.json.block.id}`)).status).toBe(204);
    expect((await api(server.url, session, 'DELETE', `/api/v1/blocks/${res.json.block.id}`)).status).toBe(404);
  });
});

describe('C3 decisions', () => {
  it('block visitor hides and refuses; block chat lists but refuses; both end at their end time', async () => {
    const now = Date.now();
    const until = now + 3_600_000;
    const v = await api(server.url, session, 'POST', '/api/v1/blocks', { target: '198.51.100.0/24', kind: 'visitor', until: new Date(until).toISOString() });
    const c = await api(server.url, session, 'POST', '/api/v1/blocks', { target: '203.0.113.7', kind: 'chat', until });
    expect([v.status, c.status]).toEqual([201, 201]);

    expect(await server.edge.evaluate(companyId, '198.51.100.42', now)).toMatchObject({ visible: false, canChat: false, icon: 'offline', reason: 'blocked_visitor' });
    expect(await server.edge.evaluate(companyId, '203.0.113.7', now)).toMatchObject({ visible: true, canChat: false, icon: 'offline', reason: 'blocked_chat' });
    expect(await server.edge.evaluate(companyId, '203.0.113.8', now)).toMatchObject({ visible: true, canChat: true, icon: 'normal' });
    // The other company is not affected.
    expect((await server.edge.evaluate(other.companyId, '198.51.100.42', now)).canChat).toBe(true);
    // At the end time both stop applying.
    expect(await server.edge.evaluate(companyId, '198.51.100.42', until)).toMatchObject({ visible: true, canChat: true });
    expect(await server.edge.evaluate(companyId, '203.0.113.7', until)).toMatchObject({ visible: true, canChat: true });

    // Removing restores at once (the guard's cache is invalidated).
    await api(server.url, session, 'DELETE', `/api/v1/blocks/${c.json.block.id}`);
    expect((await server.edge.evaluate(companyId, '203.0.113.7', now)).canChat).toBe(true);
    await api(server.url, session, 'DELETE', `/api/v1/blocks/${v.json.block.id}`);
  });

  it('the widget sees a block on its real address; X-Forwarded-For from an untrusted peer is not believed', async () => {
    const spoofed = await api(server.url, session, 'POST', '/api/v1/blocks', { target: '10.9.9.9', kind: 'visitor' });
    expect(spoofed.status).toBe(201);
    // Claiming a blocked address does not get us blocked...
    expect((await config({ 'x-forwarded-for': '10.9.9.9' })).json.edge).toEqual({ visible: true, canChat: true, icon: 'normal' });

    const self = await api(server.url, session, 'POST', '/api/v1/blocks', { target: '127.0.0.1', kind: 'chat' });
    const blocked = await config();
    expect(blocked.json.edge).toEqual({ visible: true, canChat: false, icon: 'offline' });
    // ...and claiming another address does not get us out of a block.
    expect((await config({ 'x-forwarded-for': '8.8.8.8' })).json.edge.canChat).toBe(false);
    const refused = await offline({ 'x-forwarded-for': '8.8.8.8' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('blocked');

    await api(server.url, session, 'DELETE', `/api/v1/blocks/${self.json.block.id}`);
    await api(server.url, session, 'DELETE', `/api/v1/blocks/${spoofed.json.block.id}`);
    expect((await config()).json.edge.canChat).toBe(true);
    expect((await offline()).status).toBe(201);
  });
});

describe('C4 service regions', () => {
  it('validates the rule', async () => {
    for (const body of [
      { mode: 'maybe', regions: [], deniedIcon: 'hidden' }, { mode: 'allow', regions: 'all', deniedIcon: 'hidden' },
      { mode: 'allow', regions: ['四川'], deniedIcon: 'blink' }, { mode: 'deny', regions: [''], deniedIcon: 'hidden' },
    ]) {
      expect((await api(server.url, session, 'PUT', '/api/v1/service-regions', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api(server.url, session, 'GET', '/api/v1/service-regions')).json).toEqual({ mode: 'off', regions: [], deniedIcon: 'hidden' });
  });

  it('allow-list serves listed regions only; deny-list shows the icon disabled or hidden as set', async () => {
    const now = Date.now();
    const put = await api(server.url, session, 'PUT', '/api/v1/service-regions', { mode: 'allow', regions: ['四川省', '北京'], deniedIcon: 'disabled' });
    expect(put.status).toBe(200);
    expect(await server.edge.evaluate(companyId, '110.185.39.26', now)).toMatchObject({ canChat: true, icon: 'normal' }); // 成都
    expect(await server.edge.evaluate(companyId, '202.106.0.20', now)).toMatchObject({ canChat: true }); // 北京
    expect(await server.edge.evaluate(companyId, '114.114.114.114', now)).toMatchObject({ visible: true, canChat: false, icon: 'disabled', reason: 'region_denied' }); // 南京
    // Unknown (LAN) regions are let through so an allow-list does not lock everyone out.
    expect((await config()).json.edge.canChat).toBe(true);

    await api(server.url, session, 'PUT', '/api/v1/service-regions', { mode: 'deny', regions: ['其他地区和国家'], deniedIcon: 'hidden' });
    expect(await server.edge.evaluate(companyId, '8.8.8.8', now)).toMatchObject({ canChat: false, icon: 'hidden' });
    expect((await server.edge.evaluate(companyId, '110.185.39.26', now)).canChat).toBe(true);
    expect((await server.edge.evaluate(other.companyId, '8.8.8.8', now)).canChat).toBe(true);

    await api(server.url, session, 'PUT', '/api/v1/service-regions', { mode: 'off', regions: [], deniedIcon: 'hidden' });
    expect((await server.edge.evaluate(companyId, '8.8.8.8', now)).canChat).toBe(true);
  });
});
