// E6 common files over the real server: upload (canned_responses or admin), list for
// every agent of the company, download; 403 without the permission, 415 on bad
// files, 404 for another company (list and bytes), delete; and no widget access to a
// company file (the visitor only gets the copy sent into their chat).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createAgents, PASSWORD } from './routing-team.js';

let server: TestServer;
let admin: Login;
let plain: Login;
let other: Login;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

async function upload(s: Login, body: Buffer, name: string) {
  const res = await fetch(`${server.url}/api/v1/common-files?name=${encodeURIComponent(name)}`, {
    method: 'POST', body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/octet-stream' },
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
}
const bytes = (s: Login, key: string) => fetch(`${server.url}/api/v1/files/${key}`, { headers: { cookie: s.cookie } });

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  await createAgents(server, [{ id: 'pia', permissions: ['accept_chats'] }]);
  plain = await login(server.url, demo.companyId, 'pia', PASSWORD);
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('E6 common files', () => {
  let key: string;

  it('an admin uploads a file; every agent of the company lists and downloads it', async () => {
    const up = await upload(admin, PDF, '退货流程 <b>.pdf');
    expect(up.status).toBe(201);
    expect(up.json.item).toMatchObject({ mime: 'application/pdf', kind: 'file', size: PDF.length, createdBy: server.demo!.agentId });
    expect(up.json.item.name).not.toContain('<');
    key = up.json.item.key;
    const listed = await api(server.url, plain, 'GET', '/api/v1/common-files');
    expect(listed.json.items.map((f: { key: string }) => f.key)).toEqual([key]);
    const res = await bytes(plain, key);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('refuses agents without canned_responses, bad files, and strangers', async () => {
    expect((await upload(plain, PDF, 'x.pdf')).status).toBe(403);
    expect((await api(server.url, plain, 'DELETE', `/api/v1/common-files/${key}`)).status).toBe(403);
    expect((await upload(admin, Buffer.alloc(0), 'empty.pdf')).status).toBe(415);
    expect((await upload(admin, Buffer.from('MZ\x90\x00', 'latin1'), 'setup.pdf')).status).toBe(415);
    expect((await api(server.url, other, 'GET', '/api/v1/common-files')).json.items).toEqual([]);
    expect((await bytes(other, key)).status).toBe(404);
    expect((await api(server.url, other, 'DELETE', `/api/v1/common-files/${key}`)).status).toBe(404);
    // a company file is no visitor's: the widget route refuses it
    const widget = await fetch(`${server.url}/api/v1/widget/files/${key}?key=${server.demo!.publicKey}&vid=visitor-cf-00001`);
    expect(widget.status).toBe(404);
    expect((await api(server.url, admin, 'GET', '/api/v1/common-files')).json.items).toHaveLength(1);
  });

  it('deletes: gone from the list and its bytes no longer served', async () => {
    expect((await api(server.url, admin, 'DELETE', `/api/v1/common-files/${key}`)).status).toBe(204);
    expect((await api(server.url, admin, 'GET', '/api/v1/common-files')).json.items).toEqual([]);
    expect((await bytes(admin, key)).status).toBe(404);
    expect((await api(server.url, admin, 'DELETE', `/api/v1/common-files/${key}`)).status).toBe(404);
  });
});
