// G2 offline messages from the widget and J4 form settings, over the real
// server: validation, what is stored (IP, region, source URL, keyword), text
// kept as text, the console's list/replied/count, tenancy and rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { hashPassword } from '../../server/src/domain/passwords.js';
import { offlineMessageRoutes } from '../../server/src/http/offline-message-routes.js';
import type { AnalyticsEvent } from '../../server/src/ports/analytics-sink.js';
import type { HttpRequest } from '../../server/src/http/types.js';

let server: TestServer;
let session: Login;
let key: string;
let other: { companyId: string; publicKey: string; session: Login };
const VID = 'visitor-offline-01';

const post = (body: unknown, opts: { key?: string; vid?: string } = {}) =>
  api(server.url, null, 'POST', `/api/v1/widget/offline-messages?key=${opts.key ?? key}&vid=${opts.vid ?? VID}`, body);
const xss = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  key = demo.publicKey;
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = { companyId: company.id, publicKey: company.publicKey, session: await login(server.url, company.id, 'admin', 'other-password-1') };
});

afterAll(async () => {
  await server?.dispose();
});

describe('J4 widget config', () => {
  it('the widget reads the default form (content required), the company name and icon texts by public key', async () => {
    const res = await api(server.url, null, 'GET', `/api/v1/widget/config?key=${key}`);
    expect(res.status).toBe(200);
    expect(res.json.company).toEqual({ name: 'Demo Company' });
    expect(res.json.offlineForm.fields.map((f: any) => [f.id, f.required])).toEqual([
      ['name', false], ['phone', false], ['email', false], ['content', true],
    ]);
    expect(res.json.iconTexts.online).toBeTruthy();
    expect(res.json.edge).toEqual({ visible: true, canChat: true, icon: 'normal' });
  });

  it('a forged key is 403 JSON, a malformed one 400', async () => {
    const forged = await api(server.url, null, 'GET', '/api/v1/widget/config?key=forgedkeyforgedkey');
    expect(forged.status).toBe(403);
    expect(forged.json.error.code).toBe('forbidden');
    expect((await api(server.url, null, 'GET', '/api/v1/widget/config?key=<script>')).status).toBe(400);
    expect((await post({ reason: 'offline', fields: { content: 'hi' } }, { key: 'forgedkeyforgedkey' })).status).toBe(403);
  });
});

describe('G2 leaving an offline message', () => {
  it('stores HTML as text, returned as-is, with IP, region, source URL, engine and keyword', async () => {
    const res = await post({
      reason: 'busy',
      fields: { name: '<b>张三</b>', phone: '+86 138-0000-0000', email: 'zs@example.com', content: xss },
      url: 'https://shop.example/p/1?from=ad',
      referrer: 'https://www.baidu.com/s?wd=%E9%80%80%E8%B4%A7&ie=utf-8',
    });
    expect(res.status).toBe(201);
    expect(res.json.id).toMatch(/^[A-Za-z0-9_-]+$/);
    const list = await api(server.url, session, 'GET', '/api/v1/offline-messages');
    const m = list.json.items.find((x: any) => x.id === res.json.id);
    expect(m).toMatchObject({
      reason: 'busy', visitorId: VID, ip: '127.0.0.1', region: '局域网', sourceUrl: 'https://shop.example/p/1?from=ad',
      engine: 'baidu', keyword: '退货', replied: false,
    });
    expect(m.fields).toEqual({ name: '<b>张三</b>', phone: '+86 138-0000-0000', email: 'zs@example.com', content: xss });
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses missing required fields, unknown fields, over-long values, bad email, bad reason and non-JSON', async () => {
    const cases: unknown[] = [
      { reason: 'offline', fields: { name: 'only a name' } },
      { reason: 'offline', fields: { content: 'hi', is_admin: 'true' } },
      { reason: 'offline', fields: { content: 'x'.repeat(2001) } },
      { reason: 'offline', fields: { content: 'hi', email: 'not-an-email' } },
      { reason: 'offline', fields: { content: 'hi', phone: 'call me maybe' } },
      { reason: 'sleeping', fields: { content: 'hi' } },
      { reason: 'offline', fields: { content: 42 } },
      { reason: 'offline', fields: { content: '   ' } },
      ['not', 'an', 'object'],
    ];
    for (const body of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    const text = await fetch(`${server.url}/api/v1/widget/offline-messages?key=${key}&vid=${VID}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    expect((await post({ reason: 'offline', fields: { content: 'hi' } }, { vid: 'bad vid' })).status).toBe(400);
    // A CJK message at the limit counts characters, not bytes; control characters are dropped.
    expect((await post({ reason: 'outside_service', fields: { content: '好'.repeat(2000) + '\u0000\u0007' } })).status).toBe(201);
  });

  it('J4: a custom required field added by an admin is enforced and listed in the config', async () => {
    const put = await api(server.url, session, 'PUT', '/api/v1/widget-settings', {
      offlineForm: { fields: [
        { id: 'content', label: '留言', required: true, maxLength: 500 },
        { id: 'order_no', label: '订单号', required: true, maxLength: 20 },
      ] },
      iconTexts: { online: '客服在线', offline: '请留言' },
    });
    expect(put.status).toBe(200);
    const cfg = await api(server.url, null, 'GET', `/api/v1/widget/config?key=${key}`);
    expect(cfg.json.offlineForm.fields.map((f: any) => f.id)).toEqual(['content', 'order_no']);
    expect(cfg.json.iconTexts).toEqual({ online: '客服在线', offline: '请留言' });
    expect((await post({ reason: 'offline', fields: { content: 'where is it' } })).status).toBe(400);
    expect((await post({ reason: 'offline', fields: { content: 'where is it', order_no: 'A-1001' } })).status).toBe(201);
    expect((await api(server.url, session, 'PUT', '/api/v1/widget-settings', { offlineForm: { fields: [{ id: 'Bad Id', label: 'x', required: true }] } })).status).toBe(400);
    // The other company still has the defaults.
    const theirs = await api(server.url, null, 'GET', `/api/v1/widget/config?key=${other.publicKey}`);
    expect(theirs.json.offlineForm.fields).toHaveLength(4);
    expect(theirs.json.company.name).toBe('Other Co');
  });

  it('an agent without the settings permission cannot change the form', async () => {
    const companyId = server.demo!.companyId;
    await server.stores.accounts.createAgent(companyId, { id: 'plain-agent', name: 'Plain', passwordHash: await hashPassword('plain-password-1'), permissions: ['accept_chats'] });
    const plain = await login(server.url, companyId, 'plain-agent', 'plain-password-1');
    const res = await api(server.url, plain, 'PUT', '/api/v1/widget-settings', { offlineForm: { fields: [{ id: 'content', label: 'c', required: true }] } });
    expect(res.status).toBe(403);
  });
});

describe('G2 console side', () => {
  it('filters by reason and replied, counts unreplied, marks replied and back; other companies see nothing', async () => {
    const before = (await api(server.url, session, 'GET', '/api/v1/offline-messages/unreplied-count')).json.count;
    expect(before).toBeGreaterThanOrEqual(3);
    const busy = await api(server.url, session, 'GET', '/api/v1/offline-messages?reason=busy');
    expect(busy.json.items.every((m: any) => m.reason === 'busy')).toBe(true);
    expect(busy.json.total).toBe(1);
    const id = busy.json.items[0].id as string;

    const mark = await api(server.url, session, 'POST', `/api/v1/offline-messages/${id}/replied`, { replied: true });
    expect(mark.status).toBe(200);
    expect(mark.json.message).toMatchObject({ id, replied: true, repliedBy: server.demo!.agentId });
    expect((await api(server.url, session, 'GET', '/api/v1/offline-messages/unreplied-count')).json.count).toBe(before - 1);
    const replied = await api(server.url, session, 'GET', '/api/v1/offline-messages?replied=true');
    expect(replied.json.items.map((m: any) => m.id)).toEqual([id]);
    await api(server.url, session, 'POST', `/api/v1/offline-messages/${id}/replied`, { replied: false });
    expect((await api(server.url, session, 'GET', '/api/v1/offline-messages/unreplied-count')).json.count).toBe(before);

    const future = Date.now() + 3_600_000;
    expect((await api(server.url, session, 'GET', `/api/v1/offline-messages?from=${future}`)).json.items).toEqual([]);
    const paged = await api(server.url, session, 'GET', '/api/v1/offline-messages?limit=1&offset=1');
    expect(paged.json.items).toHaveLength(1);
    expect(paged.json.total).toBe(before);

    expect((await api(server.url, other.session, 'GET', '/api/v1/offline-messages')).json).toEqual({ items: [], total: 0 });
    expect((await api(server.url, other.session, 'POST', `/api/v1/offline-messages/${id}/replied`, { replied: true })).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/offline-messages')).status).toBe(401);
    for (const q of ['reason=nope', 'replied=yes', 'limit=0', 'from=yesterday']) {
      expect((await api(server.url, session, 'GET', `/api/v1/offline-messages?${q}`)).status, q).toBe(400);
    }
  });

  it('rate-limits one address per company', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post({ reason: 'offline', fields: { content: `msg ${i}` } }, { key: other.publicKey })).status);
    expect(statuses.slice(0, 10)).toEqual(new Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });
});

describe('G2 analytics', () => {
  it('each offline message and each replied change is recorded for ClickHouse with a rising version', async () => {
    const events: AnalyticsEvent[] = [];
    const sink = { record: (e: AnalyticsEvent) => void events.push(e), flush: async () => {}, healthy: async () => true, close: async () => {} };
    const routes = offlineMessageRoutes({ accounts: server.stores.accounts, store: server.stores.offlineMessages, guard: server.edge, geo: null, sink });
    const route = (method: string, path: string) => routes.find((r) => r.method === method && r.path === path)!;
    const req = (over: Partial<HttpRequest>): HttpRequest => ({
      method: 'POST', path: '', params: {}, query: new URLSearchParams(), headers: {}, cookies: {}, ip: '203.0.113.9', body: undefined, auth: null, ...over,
    });
    const created = await route('POST', '/api/v1/widget/offline-messages').handler(req({
      query: new URLSearchParams({ key: other.publicKey, vid: 'visitor-analytics-1' }),
      body: { reason: 'outside_service', fields: { content: 'hello' }, url: 'https://o.example/', referrer: 'https://www.sogou.com/web?query=abc' },
    }));
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      table: 'offline_messages', companyId: other.companyId,
      row: { id, reason: 'outside_service', ip: '203.0.113.9', source_url: 'https://o.example/', search_engine: 'sogou', keyword: 'abc', replied: 0 },
    });
    const auth = { companyId: other.companyId, agentId: 'admin', name: 'Olga', sessionId: 's', csrfToken: 'c', role: 'admin' as const, permissions: [] };
    await route('POST', '/api/v1/offline-messages/:id/replied').handler(req({ params: { id }, body: { replied: true }, auth }));
    expect(events).toHaveLength(2);
    expect(events[1]!.row).toMatchObject({ id, replied: 1 });
    expect(Number(events[1]!.row.version)).toBeGreaterThan(Number(events[0]!.row.version));
  });
});
