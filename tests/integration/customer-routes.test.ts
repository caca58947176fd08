// E11 customer record over the real server: found by visitor id, created and
// edited with customers_edit, viewed with customers_view, bad input and tenancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let admin: Login;
let viewer: Login;
let nobody: Login;
let other: Login;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  await server.stores.accounts.createAgent(demo.companyId, { id: 'cust-viewer', name: 'V', passwordHash: await hashPassword('agent-password-1'), permissions: ['customers_view'] });
  await server.stores.accounts.createAgent(demo.companyId, { id: 'cust-none', name: 'N', passwordHash: await hashPassword('agent-password-1'), permissions: ['accept_chats'] });
  viewer = await login(server.url, demo.companyId, 'cust-viewer', 'agent-password-1');
  nobody = await login(server.url, demo.companyId, 'cust-none', 'agent-password-1');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('E11 customers', () => {
  it('creates a record for a visitor, finds it by visitor id, edits it and links more visitor ids', async () => {
    expect((await api(server.url, admin, 'GET', '/api/v1/customers/by-visitor/visitor-c-1')).json).toEqual({ customer: null });
    const created = await api(server.url, admin, 'POST', '/api/v1/customers', {
      name: '刘女士', gender: 'female', phone: '+86 134-5678-9000', email: 'liu@example.com', org: '某某公司', remarks: '{{ 1 + 1 }}', visitorIds: ['visitor-c-1'],
    });
    expect(created.status).toBe(201);
    expect(created.json.customer).toMatchObject({ name: '刘女士', visitorIds: ['visitor-c-1'], createdBy: server.demo!.agentId, remarks: '{{ 1 + 1 }}' });
    const id = created.json.customer.id;
    expect((await api(server.url, viewer, 'GET', '/api/v1/customers/by-visitor/visitor-c-1')).json.customer.id).toBe(id);

    const edited = await api(server.url, admin, 'PUT', `/api/v1/customers/${id}`, { name: '刘小姐', phone: '13456789000', addVisitorIds: ['visitor-c-2', 'visitor-c-1'] });
    expect(edited.json.customer).toMatchObject({ name: '刘小姐', email: '', visitorIds: ['visitor-c-1', 'visitor-c-2'] });
    expect((await api(server.url, viewer, 'GET', '/api/v1/customers/by-visitor/visitor-c-2')).json.customer.name).toBe('刘小姐');
    expect((await api(server.url, viewer, 'GET', `/api/v1/customers/${id}`)).json.customer.phone).toBe('13456789000');
  });

  it('viewing needs customers_view, changing needs customers_edit', async () => {
    const id = (await api(server.url, admin, 'POST', '/api/v1/customers', { name: 'X' })).json.customer.id;
    expect((await api(server.url, nobody, 'GET', '/api/v1/customers/by-visitor/visitor-c-1')).status).toBe(403);
    expect((await api(server.url, nobody, 'GET', `/api/v1/customers/${id}`)).status).toBe(403);
    expect((await api(server.url, viewer, 'POST', '/api/v1/customers', { name: 'Y' })).status).toBe(403);
    expect((await api(server.url, viewer, 'PUT', `/api/v1/customers/${id}`, { name: 'Y' })).status).toBe(403);
    expect((await api(server.url, viewer, 'DELETE', `/api/v1/customers/${id}`)).status).toBe(403);
    expect((await api(server.url, admin, 'DELETE', `/api/v1/customers/${id}`)).status).toBe(204);
    expect((await api(server.url, admin, 'GET', `/api/v1/customers/${id}`)).status).toBe(404);
  });

  it('refuses bad input with 400 JSON', async () => {
    for (const body of [
      { email: 'not-mail' }, { phone: 'call me' }, { gender: 'x' }, { name: 'n'.repeat(101) }, { visitorIds: 'visitor-c-1' },
      { visitorIds: ['<script>'] }, { name: 5 }, 'x',
    ]) {
      const res = await api(server.url, admin, 'POST', '/api/v1/customers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
  });

  it('another company sees none of it and cannot change it', async () => {
    const c = (await api(server.url, admin, 'POST', '/api/v1/customers', { name: '张三', visitorIds: ['visitor-c-9'] })).json.customer;
    expect((await api(server.url, other, 'GET', '/api/v1/customers/by-visitor/visitor-c-9')).json.customer).toBeNull();
    expect((await api(server.url, other, 'GET', `/api/v1/customers/${c.id}`)).status).toBe(404);
    expect((await api(server.url, other, 'PUT', `/api/v1/customers/${c.id}`, { name: 'hijack' })).status).toBe(404);
    expect((await api(server.url, other, 'DELETE', `/api/v1/customers/${c.id}`)).status).toBe(404);
    expect((await api(server.url, admin, 'GET', `/api/v1/customers/${c.id}`)).json.customer.name).toBe('张三');
  });
});
