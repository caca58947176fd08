// C3 in the live visitor list: a "block visitor" address is not listed to agents
// (its page views still reach analytics), a "block chat" address is listed, and a
// visitor blocked while on the site leaves the list at the next page view.
// TRUSTED_PROXIES=127.0.0.1: each beacon comes from its X-Forwarded-For address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, type Login } from '../helpers/clients.js';

let server: TestServer;
let admin: Login;

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  admin = await login(server.url, server.demo!.companyId, server.demo!.agentId, server.demo!.password);
});
afterAll(async () => { await server?.dispose(); });

async function view(vid: string, ip: string, page: number): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/widget/track?key=${server.demo!.publicKey}`, {
    method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-forwarded-for': ip },
    body: JSON.stringify({ type: 'view', vid, url: `https://shop.example/p/${page}`, title: `P${page}` }),
  });
  expect(res.status).toBe(200);
}

const listed = async () =>
  ((await api(server.url, admin, 'GET', '/api/v1/visitors')).json.items as Array<{ id: string }>).map((v) => v.id);

async function pageViews(vid: string): Promise<number> {
  await server.tracker.flush();
  const rs = await server.analytics.client.query({
    query: 'SELECT count() AS n FROM page_views WHERE visitor_id = {v:String}', query_params: { v: vid }, format: 'JSONEachRow',
  });
  return Number((await rs.json<{ n: string }>())[0]!.n);
}

describe('C3 blocks in the live visitor list', () => {
  it('block visitor: not listed but counted; block chat: listed', async () => {
    expect((await api(server.url, admin, 'POST', '/api/v1/blocks', { target: '198.51.100.0/24', kind: 'visitor' })).status).toBe(201);
    expect((await api(server.url, admin, 'POST', '/api/v1/blocks', { target: '203.0.113.7', kind: 'chat' })).status).toBe(201);
    await view('edge-hidden-0001', '198.51.100.7', 1);
    await view('edge-chat-0001', '203.0.113.7', 1);
    await view('edge-free-0001', '192.0.2.7', 1);
    const ids = await listed();
    expect(ids).toContain('edge-chat-0001');
    expect(ids).toContain('edge-free-0001');
    expect(ids).not.toContain('edge-hidden-0001');
    expect(await pageViews('edge-hidden-0001')).toBe(1);
    expect((await api(server.url, admin, 'GET', '/api/v1/visitors/edge-hidden-0001/trail')).status).toBe(404);
  });

  it('a visitor blocked while on the site leaves the list at the next page view', async () => {
    await view('edge-later-0001', '192.0.2.99', 1);
    expect(await listed()).toContain('edge-later-0001');
    expect((await api(server.url, admin, 'POST', '/api/v1/blocks', { target: '192.0.2.99', kind: 'visitor' })).status).toBe(201);
    await view('edge-later-0001', '192.0.2.99', 2);
    // Gone after the departure grace, like a closed page.
    await expect.poll(listed, { timeout: 20_000, interval: 500 }).not.toContain('edge-later-0001');
    expect(await pageViews('edge-later-0001')).toBe(2);
  });
});
