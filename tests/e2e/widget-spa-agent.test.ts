// Two loader behaviours in a real browser against the real server:
//  I1 single-page apps on /demo: history.pushState / replaceState / popstate are
//     page views in the agents' trail (previous page as referrer, changes in one go
//     counted once), while the host page's own history calls behave exactly as
//     before (state kept, errors still its own, other wrappers still called).
//  J1 a snippet bound to an agent (data-agent) on a customer site of another
//     origin: the icon follows that agent, not the company, and the chat queues
//     for that agent. The same site reads C4 from /api/v1/widget/config across
//     origins (an icon hidden by the service regions stays hidden).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { api, login, openAgent, type AgentClient, type Login } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { hashPassword } from '../../server/src/domain/passwords.js';
import { hostSite, VIEWPORTS, widgetWorld, type Site, type WidgetWorld } from './widget-browser.js';
import { SHOTS } from '../helpers/browser.js';

let world: WidgetWorld;
let server: TestServer;
let admin: Login;
let bob: AgentClient;
let host: Site;
let browser: Browser;

beforeAll(async () => {
  world = await widgetWorld();
  ({ server, admin, browser } = world);
  const demo = server.demo!;
  await server.stores.accounts.createAgent(demo.companyId, {
    id: 'bob', name: 'Bob', passwordHash: await hashPassword('bob-password-1'), permissions: ['accept_chats'],
  });
  bob = await openAgent(server.url, await login(server.url, demo.companyId, 'bob', 'bob-password-1'));
  bob.send({ type: 'agent.hello' });
  await bob.waitFor('agent.ready');
  bob.send({ type: 'agent.status.set', status: 'online' });
  host = await hostSite(server.url, (p) => `data-key="${demo.publicKey}" data-lang="en"${p.startsWith('/bob') ? ' data-agent="bob"' : ''}`);
});

afterAll(async () => {
  await host?.close();
  await bob?.close();
  await world?.close();
});

interface HostWindow {
  Switchboard?: { state: string | null };
  __calls?: number;
  history: { pushState(s: unknown, t: string, u?: string): unknown; replaceState(s: unknown, t: string, u?: string): unknown; state: unknown };
  document: { title: string };
}

async function open(url: string, options: BrowserContextOptions, ip = '127.0.0.1') {
  const context = await browser.newContext({ ...options, locale: 'en-US', extraHTTPHeaders: { 'x-forwarded-for': ip } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

const stateIs = (page: Page, s: string) =>
  page.waitForFunction((want) => (globalThis as unknown as HostWindow).Switchboard?.state === want, s, { timeout: 15_000 });

const vidOf = async (page: Page) => new URL((await page.locator('iframe[data-sb="window"]').getAttribute('src'))!).searchParams.get('vid')!;

describe('I1 single-page navigation on /demo', () => {
  it('pushState / replaceState / back are page views with the previous page as referrer; the host history is untouched', async () => {
    const v = await open(`${server.url}/demo`, VIEWPORTS[0]!.options);
    try {
      const vid = await vidOf(v.page);
      const base = `${server.url}/demo`;
      const trail = async () => {
        const res = await api(server.url, admin, 'GET', `/api/v1/visitors/${vid}/trail`);
        return res.status === 200 ? (res.json.trail as Array<{ url: string; title: string; referrer: string }>) : [];
      };
      await expect.poll(async () => (await trail()).map((e) => e.url), { timeout: 10_000 }).toEqual([base]);

      // A router library of the host wraps pushState after our loader: both keep working.
      const host = await v.page.evaluate(() => {
        const w = globalThis as unknown as HostWindow;
        const orig = w.history.pushState;
        w.__calls = 0;
        w.history.pushState = function (this: unknown, ...a: [unknown, string, string?]) {
          w.__calls = (w.__calls ?? 0) + 1;
          return orig.apply(this, a);
        };
        const returned = w.history.pushState({ page: 'orders' }, '', '/demo/orders');
        w.document.title = 'Orders';
        return { returned: returned === undefined, state: w.history.state, calls: w.__calls };
      });
      expect(host).toEqual({ returned: true, state: { page: 'orders' }, calls: 1 });
      await expect.poll(async () => (await trail()).map((e) => e.url), { timeout: 10_000 }).toEqual([base, `${base}/orders`]);
      const orders = (await trail())[1]!;
      expect([orders.title, orders.referrer]).toEqual(['Orders', base]);

      // Same URL: no view. A replace and a push in one go: one view, of where the visitor landed.
      const thrown = await v.page.evaluate(() => {
        const w = globalThis as unknown as HostWindow;
        w.history.replaceState({ page: 'orders', scrolled: 1 }, '');
        w.history.replaceState({ page: 'orders', tab: 2 }, '', '/demo/orders?tab=2');
        w.history.pushState({ page: 'order' }, '', '/demo/orders/42');
        w.document.title = 'Order 42';
        // The host's own mistakes still reach the host, unchanged.
        try {
          w.history.pushState(null, '', 'https://elsewhere.example/');
          return 'nothing';
        } catch (e) {
          return (e as Error).name;
        }
      });
      expect(thrown).toBe('SecurityError');
      await expect.poll(async () => (await trail()).map((e) => e.url), { timeout: 10_000 }).toEqual([base, `${base}/orders`, `${base}/orders/42`]);
      expect((await trail())[2]!.referrer).toBe(`${base}/orders`);

      // Back (popstate) is a view too.
      await v.page.goBack();
      await expect.poll(async () => (await trail()).map((e) => e.url), { timeout: 10_000 })
        .toEqual([base, `${base}/orders`, `${base}/orders/42`, `${base}/orders?tab=2`]);
      expect((await trail())[3]!.referrer).toBe(`${base}/orders/42`);
      expect(await v.page.evaluate(() => (globalThis as unknown as HostWindow).history.state)).toEqual({ page: 'orders', tab: 2 });
      // The widget is still there and working.
      await stateIs(v.page, 'online');
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });
});

describe.each(VIEWPORTS)('J1 snippet bound to an agent, on another origin ($name)', ({ name, options }) => {
  it('the icon follows the bound agent, not the company; the chat queues for that agent', async () => {
    const bound = await open(`${host.url}/bob`, options);
    const plain = await open(`${host.url}/`, options);
    try {
      await stateIs(bound.page, 'online');
      await stateIs(plain.page, 'online');
      expect(new URL((await bound.page.locator('iframe[data-sb="window"]').getAttribute('src'))!).searchParams.get('agent')).toBe('bob');

      // Bob away: his widget goes offline while the company's stays online (admin is there).
      bob.send({ type: 'agent.status.set', status: 'away' });
      await stateIs(bound.page, 'offline');
      await stateIs(plain.page, 'online');
      bob.send({ type: 'agent.status.set', status: 'online' });
      await stateIs(bound.page, 'online');

      const text = `For Bob only (${name})`;
      await bound.page.locator('[data-sb="icon"]').click();
      const input = bound.page.frameLocator('iframe[data-sb="window"]').locator('textarea.sb-text');
      await input.waitFor({ state: 'visible' });
      await input.fill(text);
      await input.press('Enter');
      const snap = await bob.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.firstMessage === text));
      expect(snap.queue.find((c) => c.firstMessage === text)!.scope).toBe('agent:bob');
      await bound.page.screenshot({ path: path.join(SHOTS, `widget-agent-bound-${name}.png`) });
      expect([...bound.errors, ...plain.errors]).toEqual([]);
    } finally {
      await bound.close();
      await plain.close();
    }
  });

  it('C4 across origins: the customer page reads the config and hides the icon for a denied region', async () => {
    expect((await api(server.url, admin, 'PUT', '/api/v1/service-regions', { mode: 'deny', regions: ['广东'], deniedIcon: 'hidden' })).status).toBe(200);
    // From a Guangdong address. Not by extraHTTPHeaders: a header the page did not set would
    // make the cross-origin config fetch a preflighted request, which no real visitor's is.
    const context = await browser.newContext({ ...options, locale: 'en-US' });
    await context.route(`${server.url}/**`, (r) => r.continue({ headers: { ...r.request().headers(), 'x-forwarded-for': '58.60.1.1' } }));
    const page = await context.newPage();
    const v = { page, errors: [] as string[], close: () => context.close() };
    page.on('pageerror', (e) => v.errors.push(e.message));
    const config = page.waitForResponse((r) => r.url().startsWith(`${server.url}/api/v1/widget/config`));
    await page.goto(`${host.url}/`);
    try {
      expect((await config).headers()['access-control-allow-origin']).toBe('*');
      await stateIs(v.page, 'offline');
      expect(await v.page.locator('[data-sb="icon"]').count()).toBe(0);
      expect(await v.page.locator('iframe[data-sb="window"]').count()).toBe(0);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
      await api(server.url, admin, 'PUT', '/api/v1/service-regions', { mode: 'off', regions: [], deniedIcon: 'hidden' });
    }
  });
});
