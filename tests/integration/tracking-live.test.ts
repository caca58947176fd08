// The tracking endpoint's bad input and company switches (forged key, hostile
// text, Do-Not-Track, L1 member tokens) and the live visitor feed (C1/C2): the
// list and trail over HTTP, visitor.updated / visitor.left / visitors.snapshot
// frames over the agent socket, departures after the leave beacon or the socket.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, openVisitor, type AgentClient, type Login } from '../helpers/clients.js';
import { openClickHouse, type ClickHouseHandle } from '../../server/src/adapters/clickhouse/client.js';
import { createLogger } from '../../server/src/logger.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { signMemberToken } from '../../server/src/domain/tracking/member-identity.js';

let server: TestServer;
let ch: ClickHouseHandle;
let admin: Login;
let agent: AgentClient;
let key: string;
let companyId: string;
let clock = Date.now();

const hostile = `<img src=x onerror="alert(1)">{{constructor.constructor('alert(2)')()}}\${7*7}</title><script>alert(3)</script>`;

async function track(body: Record<string, unknown>, headers: Record<string, string> = {}, k = key) {
  const res = await fetch(`${server.url}/api/v1/widget/track?key=${k}`, {
    method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), json: (await res.json()) as any };
}

async function chRows(visitorId: string, table: 'page_views' | 'visits' = 'page_views') {
  await server.tracker.flush();
  const rs = await ch.client.query({
    query: `SELECT * FROM ${table} WHERE company_id = {c:String} AND visitor_id = {v:String}`,
    query_params: { c: companyId, v: visitorId }, format: 'JSONEachRow',
  });
  return rs.json<Record<string, unknown>>();
}

/** Moves the injected clock and waits for a sweep that saw it. */
async function advance(ms: number) {
  clock += ms;
  await new Promise((r) => setTimeout(r, 1_300));
}

beforeAll(async () => {
  server = await startTestServer();
  server.tracker.now = () => clock;
  key = server.demo!.publicKey;
  companyId = server.demo!.companyId;
  admin = await login(server.url, companyId, server.demo!.agentId, server.demo!.password);
  agent = await openAgent(server.url, admin);
  ch = await openClickHouse({ dataDir: join(server.dataDir, 'ch'), logger: createLogger('warn') });
});

afterAll(async () => {
  await agent?.close();
  await ch?.close();
  await server?.dispose();
});

describe('bad input at the tracking endpoint', () => {
  it('a forged company key is 403 JSON; a malformed key, body or visitor id is 400; an oversized body 413', async () => {
    const forged = await track({ vid: 'visitor-forged', url: 'https://x.example/' }, {}, 'forgedkeyforgedkey');
    expect(forged.status).toBe(403);
    expect(forged.type).toMatch(/^application\/json/);
    expect(forged.json.error.code).toBe('forbidden');
    expect((await track({ vid: 'visitor-forged', url: 'https://x.example/' }, {}, '<script>')).status).toBe(400);
    expect((await track({ vid: '../../etc', url: 'https://x.example/' })).status).toBe(400);
    expect((await track({ vid: 'visitor-ok-01' })).status).toBe(400);
    expect((await track({ vid: 'visitor-ok-01', url: 'https://x.example/', type: 'delete' })).status).toBe(400);
    const notJson = await fetch(`${server.url}/api/v1/widget/track?key=${key}`, { method: 'POST', body: '{"vid":' });
    expect(notJson.status).toBe(400);
    const huge = await track({ vid: 'visitor-ok-01', url: 'https://x.example/', title: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
  });

  it('HTML and template syntax in title and URL are stored and served as the same text', async () => {
    const url = `https://shop.example/search?q=${encodeURIComponent(hostile)}`;
    const r = await track({ vid: 'visitor-hostile', url, title: hostile, ref: 'javascript:alert(1)' });
    expect(r.status).toBe(200);
    const [row] = await chRows('visitor-hostile');
    // A javascript: referrer is no place the visitor came from: stored as direct.
    expect(row).toMatchObject({ title: hostile, url, referrer: '', search_engine: '' });
    const list = await api(server.url, admin, 'GET', '/api/v1/visitors');
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(list.json.items.find((v: any) => v.id === 'visitor-hostile').page).toEqual({ url, title: hostile });
    const frame = await agent.waitFor('visitor.updated', (f) => f.visitor.id === 'visitor-hostile');
    expect(frame.visitor.page.title).toBe(hostile);
  });
});

describe('Do-Not-Track per company', () => {
  it('is ignored until the company honours it; then a DNT or GPC browser leaves no rows and no visitor record', async () => {
    expect((await track({ vid: 'visitor-dnt-01', url: 'https://shop.example/a' }, { dnt: '1' })).json.tracked).toBe(true);
    expect(await chRows('visitor-dnt-01')).toHaveLength(1);

    const on = await api(server.url, admin, 'PUT', '/api/v1/tracking/settings', { honourDnt: true });
    expect(on.status).toBe(200);
    expect(on.json.honourDnt).toBe(true);
    for (const [vid, headers] of [['visitor-dnt-02', { dnt: '1' }], ['visitor-gpc-02', { 'sec-gpc': '1' }]] as const) {
      const r = await track({ vid, url: 'https://shop.example/b', ref: 'https://www.baidu.com/s?wd=x' }, headers);
      expect(r.json.tracked).toBe(false);
      expect(await chRows(vid)).toHaveLength(0);
      expect(await chRows(vid, 'visits')).toHaveLength(0);
      expect(await server.stores.visitors.visitor(companyId, vid)).toBeNull();
    }
    // Browsers without the signal are still tracked.
    expect((await track({ vid: 'visitor-dnt-03', url: 'https://shop.example/c' })).json.tracked).toBe(true);
    expect(await chRows('visitor-dnt-03')).toHaveLength(1);

    // Another company's switch is its own.
    const other = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
    const r = await track({ vid: 'visitor-dnt-04', url: 'https://other.example/' }, { dnt: '1' }, other.company.publicKey);
    expect(r.json.tracked).toBe(true);

    await api(server.url, admin, 'PUT', '/api/v1/tracking/settings', { honourDnt: false });
  });

  it('only administrators read or change the tracking settings', async () => {
    const anon = await api(server.url, null, 'GET', '/api/v1/tracking/settings');
    expect(anon.status).toBe(401);
    expect((await api(server.url, admin, 'PUT', '/api/v1/tracking/settings', { honourDnt: 'yes' })).status).toBe(400);
  });
});

describe('L1 member identity in the beacon', () => {
  it('a good token names the visitor; a bad signature, an expired token or another company\'s secret leave an ordinary visitor', async () => {
    const settings = await api(server.url, admin, 'GET', '/api/v1/tracking/settings');
    const secret: string = settings.json.memberSecret;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const exp = Math.floor(clock / 1000) + 3600;
    const good = signMemberToken({ memberId: 'm-42', name: '<b>王</b>', exp }, secret);
    const cases: Array<[string, string, boolean]> = [
      ['visitor-member-ok', good, true],
      ['visitor-member-bad', good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA'), false],
      ['visitor-member-old', signMemberToken({ memberId: 'm-42', exp: Math.floor(clock / 1000) - 3600 }, secret), false],
      ['visitor-member-foreign', signMemberToken({ memberId: 'm-42', exp }, 'another-companys-secret-0123456789'), false],
    ];
    for (const [vid, mt, member] of cases) {
      const r = await track({ vid, url: 'https://shop.example/account', mt });
      expect(r.status, vid).toBe(200);
      expect(r.json.member, vid).toBe(member);
    }
    const list = (await api(server.url, admin, 'GET', '/api/v1/visitors')).json.items as any[];
    expect(list.find((v) => v.id === 'visitor-member-ok')).toMatchObject({ member: true, name: '<b>王</b>' });
    expect(list.find((v) => v.id === 'visitor-member-bad')).toMatchObject({ member: false, name: '' });
    expect(list.find((v) => v.id === 'visitor-member-old')).toMatchObject({ member: false });

    // After a rotation the previous secret still works; after the next one it does not.
    const rotated = await api(server.url, admin, 'POST', '/api/v1/tracking/member-secret');
    expect(rotated.json).toMatchObject({ previousMemberSecret: secret });
    expect(rotated.json.memberSecret).not.toBe(secret);
    expect((await track({ vid: 'visitor-member-ok', url: 'https://shop.example/x', mt: good })).json.member).toBe(true);
    const fresh = signMemberToken({ memberId: 'm-43', exp }, rotated.json.memberSecret);
    expect((await track({ vid: 'visitor-member-new', url: 'https://shop.example/x', mt: fresh })).json.member).toBe(true);
    await api(server.url, admin, 'POST', '/api/v1/tracking/member-secret');
    expect((await track({ vid: 'visitor-member-ok', url: 'https://shop.example/y', mt: good })).json.member).toBe(false);
  });
});

describe('live visitor feed', () => {
  it('arrival, page change and trail; the list has the C1 columns', async () => {
    const vid = 'visitor-live-01';
    await track({ vid, url: 'https://shop.example/', title: 'Home', ref: 'https://m.baidu.com/s?word=%E9%9E%8B', screen: '390x844', lang: 'zh-CN' },
      { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1' });
    const arrived = await agent.waitFor('visitor.updated', (f) => f.visitor.id === vid);
    expect(arrived.visitor).toMatchObject({
      status: 'browsing', visitCount: 1, ip: '127.0.0.1', region: '局域网', engine: 'baidu', keyword: '鞋',
      page: { url: 'https://shop.example/', title: 'Home' }, pages: 1, language: 'zh-cn', browser: 'Safari', os: 'iOS', device: 'mobile', agentId: null,
    });
    clock += 5_000;
    await track({ vid, url: 'https://shop.example/p/1', title: 'Product 1', ref: 'https://shop.example/' });
    const moved = await agent.waitFor('visitor.updated', (f) => f.visitor.id === vid && f.visitor.pages === 2);
    // The source of the visit stays that of its landing page.
    expect(moved.visitor).toMatchObject({ page: { url: 'https://shop.example/p/1', title: 'Product 1' }, engine: 'baidu', keyword: '鞋' });
    const trail = await api(server.url, admin, 'GET', `/api/v1/visitors/${vid}/trail`);
    expect(trail.json.trail.map((t: any) => [t.url, t.engine, t.keyword])).toEqual([
      ['https://shop.example/', 'baidu', '鞋'], ['https://shop.example/p/1', '', ''],
    ]);
    expect(trail.json.trail[1].at - trail.json.trail[0].at).toBe(5_000);
    expect((await api(server.url, admin, 'GET', '/api/v1/visitors/nobody-here-1/trail')).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/visitors')).status).toBe(401);
  });

  it('a navigation (leave then the next page) keeps the visitor; a leave without a next page ends in visitor.left', async () => {
    const vid = 'visitor-live-02';
    await track({ vid, url: 'https://shop.example/a' });
    await track({ type: 'leave', vid });
    await track({ vid, url: 'https://shop.example/b', ref: 'https://shop.example/a' });
    await advance(6_000);
    expect(agent.all('visitor.left').some((f) => f.visitorId === vid)).toBe(false);
    await track({ type: 'leave', vid });
    await advance(6_000);
    await agent.waitFor('visitor.left', (f) => f.visitorId === vid);
    const list = (await api(server.url, admin, 'GET', '/api/v1/visitors')).json.items as any[];
    expect(list.some((v) => v.id === vid)).toBe(false);
  });

  it('stays while its widget socket is open, leaves once the socket has been gone for the grace period', async () => {
    const vid = 'visitor-live-03';
    const socket = await openVisitor(server.url, key, vid);
    await track({ vid, url: 'https://shop.example/a' });
    await advance(25_000);
    expect(agent.all('visitor.left').some((f) => f.visitorId === vid)).toBe(false);
    await socket.close();
    await advance(1_000); // the sweep notices the socket is gone
    await advance(20_000);
    await agent.waitFor('visitor.left', (f) => f.visitorId === vid);
  });

  it('the other company sees none of it', async () => {
    const other = await createCompanyWithAdmin(server.stores.accounts, { name: 'Third Co', adminName: 'Tom', password: 'third-password-1' });
    const s = await login(server.url, other.company.id, 'admin', 'third-password-1');
    const otherAgent = await openAgent(server.url, s);
    await track({ vid: 'visitor-live-04', url: 'https://shop.example/' });
    await agent.waitFor('visitor.updated', (f) => f.visitor.id === 'visitor-live-04');
    expect((await api(server.url, s, 'GET', '/api/v1/visitors')).json.items).toEqual([]);
    expect(otherAgent.all('visitor.updated')).toEqual([]);
    await otherAgent.close();
  });
});
