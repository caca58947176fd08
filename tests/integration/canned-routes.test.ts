// E5 canned responses and E6 common links over the real server: company vs
// personal scope, the canned_responses permission, validation, CSV round trip,
// and another company's ids answering 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';

let server: TestServer;
let admin: Login;
let plain: Login;
let peer: Login;
let other: Login;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  for (const id of ['canned-plain', 'canned-peer']) {
    await server.stores.accounts.createAgent(demo.companyId, { id, name: id, passwordHash: await hashPassword('plain-password-1'), permissions: ['accept_chats'] });
  }
  plain = await login(server.url, demo.companyId, 'canned-plain', 'plain-password-1');
  peer = await login(server.url, demo.companyId, 'canned-peer', 'plain-password-1');
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = await login(server.url, company.id, 'admin', 'other-password-1');
});

afterAll(async () => {
  await server?.dispose();
});

describe('E5 canned responses', () => {
  it('company items need canned_responses; personal items are the agent’s own and hidden from others', async () => {
    const company = await api(server.url, admin, 'POST', '/api/v1/canned-responses', { scope: 'company', category: 'welcome', text: '您好，欢迎光临！' });
    expect(company.status).toBe(201);
    expect(company.json.item).toMatchObject({ ownerId: null, category: 'welcome', text: '您好，欢迎光临！' });
    expect((await api(server.url, plain, 'POST', '/api/v1/canned-responses', { scope: 'company', category: 'common', text: 'x' })).status).toBe(403);
    expect((await api(server.url, plain, 'PUT', `/api/v1/canned-responses/${company.json.item.id}`, { category: 'common', text: 'changed' })).status).toBe(403);
    expect((await api(server.url, plain, 'DELETE', `/api/v1/canned-responses/${company.json.item.id}`)).status).toBe(403);

    const mine = await api(server.url, plain, 'POST', '/api/v1/canned-responses', { scope: 'personal', category: '售后', title: '退货', text: '请提供订单号' });
    expect(mine.status).toBe(201);
    expect(mine.json.item.ownerId).toBe('canned-plain');
    const listed = (await api(server.url, plain, 'GET', '/api/v1/canned-responses')).json.items.map((i: any) => i.text);
    expect(listed).toEqual(expect.arrayContaining(['您好，欢迎光临！', '请提供订单号']));
    // Another agent sees the company item but not the personal one, and cannot touch it.
    const peerList = (await api(server.url, peer, 'GET', '/api/v1/canned-responses')).json.items.map((i: any) => i.text);
    expect(peerList).toContain('您好，欢迎光临！');
    expect(peerList).not.toContain('请提供订单号');
    expect((await api(server.url, peer, 'PUT', `/api/v1/canned-responses/${mine.json.item.id}`, { category: 'common', text: 'mine now' })).status).toBe(404);
    expect((await api(server.url, peer, 'DELETE', `/api/v1/canned-responses/${mine.json.item.id}`)).status).toBe(404);

    const edited = await api(server.url, plain, 'PUT', `/api/v1/canned-responses/${mine.json.item.id}`, { category: '售后', title: '退货', text: '请提供订单号和照片' });
    expect(edited.json.item.text).toBe('请提供订单号和照片');
    expect((await api(server.url, plain, 'DELETE', `/api/v1/canned-responses/${mine.json.item.id}`)).status).toBe(204);
    expect((await api(server.url, plain, 'DELETE', `/api/v1/canned-responses/${mine.json.item.id}`)).status).toBe(404);
  });

  it('refuses bad input with 400 JSON', async () => {
    for (const body of [
      'text', { category: '', text: 'x' }, { category: 'common', text: '   ' }, { category: 'common' }, { category: 'c'.repeat(41), text: 'x' },
      { category: 'common', text: 'x'.repeat(2001) }, { category: 'common', text: 'x', scope: 'global' }, { category: 'common', text: 'x', sort: 1.5 },
      { category: 7, text: 'x' },
    ]) {
      const res = await api(server.url, admin, 'POST', '/api/v1/canned-responses', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    expect((await api(server.url, admin, 'PUT', '/api/v1/canned-responses/not-a-number', { category: 'common', text: 'x' })).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/canned-responses')).status).toBe(401);
  });

  it('another company cannot see or change our items', async () => {
    const item = (await api(server.url, admin, 'POST', '/api/v1/canned-responses', { scope: 'company', category: 'closing', text: '再见' })).json.item;
    expect((await api(server.url, other, 'GET', '/api/v1/canned-responses')).json.items).toEqual([]);
    expect((await api(server.url, other, 'PUT', `/api/v1/canned-responses/${item.id}`, { category: 'common', text: 'hijack' })).status).toBe(404);
    expect((await api(server.url, other, 'DELETE', `/api/v1/canned-responses/${item.id}`)).status).toBe(404);
    const still = (await api(server.url, admin, 'GET', '/api/v1/canned-responses')).json.items.find((i: any) => i.id === item.id);
    expect(still.text).toBe('再见');
  });

  it('exports CSV (quotes, formula guard) and imports it back', async () => {
    const text = '价格是 "99" 元,\n谢谢';
    await api(server.url, peer, 'POST', '/api/v1/canned-responses', { category: 'common', title: '=SUM(A1)', text });
    const exp = await api(server.url, peer, 'GET', '/api/v1/canned-responses/export?scope=personal');
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-type')).toContain('text/csv');
    expect(exp.text).toContain('"价格是 ""99"" 元,\n谢谢"');
    expect(exp.text).toContain("'=SUM(A1)");

    const imp = await api(server.url, plain, 'POST', '/api/v1/canned-responses/import', { scope: 'personal', csv: exp.text });
    expect(imp.json).toEqual({ imported: 1 });
    const mine = (await api(server.url, plain, 'GET', '/api/v1/canned-responses')).json.items.filter((i: any) => i.ownerId === 'canned-plain');
    expect(mine).toEqual([expect.objectContaining({ category: 'common', title: '=SUM(A1)', text })]);

    expect((await api(server.url, plain, 'POST', '/api/v1/canned-responses/import', { scope: 'company', csv: exp.text })).status).toBe(403);
    for (const csv of ['a,b\n1,2', 'category,title,text\n"unterminated', 'category,title,text\ncommon,t,']) {
      expect((await api(server.url, plain, 'POST', '/api/v1/canned-responses/import', { csv })).status, csv).toBe(400);
    }
    expect((await api(server.url, plain, 'GET', '/api/v1/canned-responses/export?scope=everyone')).status).toBe(400);
  });
});

describe('E6 common links', () => {
  it('keeps http(s) links only, with the same scope rules and tenancy', async () => {
    const link = await api(server.url, admin, 'POST', '/api/v1/common-links', { scope: 'company', title: '退货政策', url: 'https://example.com/returns?a=1' });
    expect(link.status).toBe(201);
    expect(link.json.item).toMatchObject({ title: '退货政策', url: 'https://example.com/returns?a=1', ownerId: null });
    for (const url of ['javascript:alert(1)', 'ftp://example.com/x', 'example.com', 'data:text/html,hi', '']) {
      expect((await api(server.url, admin, 'POST', '/api/v1/common-links', { title: 't', url })).status, url).toBe(400);
    }
    expect((await api(server.url, plain, 'POST', '/api/v1/common-links', { scope: 'company', title: 't', url: 'https://a.example' })).status).toBe(403);
    const mine = await api(server.url, plain, 'POST', '/api/v1/common-links', { title: '我的', url: 'http://a.example/p' });
    expect(mine.status).toBe(201);
    expect((await api(server.url, peer, 'GET', '/api/v1/common-links')).json.items.map((l: any) => l.title)).toEqual(['退货政策']);
    expect((await api(server.url, peer, 'DELETE', `/api/v1/common-links/${mine.json.item.id}`)).status).toBe(404);
    expect((await api(server.url, other, 'GET', '/api/v1/common-links')).json.items).toEqual([]);
    expect((await api(server.url, other, 'PUT', `/api/v1/common-links/${link.json.item.id}`, { title: 'x', url: 'https://evil.example' })).status).toBe(404);
    const upd = await api(server.url, admin, 'PUT', `/api/v1/common-links/${link.json.item.id}`, { title: '退货', url: 'https://example.com/r' });
    expect(upd.json.item).toMatchObject({ title: '退货', url: 'https://example.com/r' });
  });
});
