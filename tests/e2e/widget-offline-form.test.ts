// G2 / J4 in a real browser on /demo, desktop and phone: nobody is online, so the
// widget offers the leave-a-message form with the company's configured fields
// (its own labels as typed, the default ones in the visitor's language, required
// ones marked); a required field left empty is named; the message is stored with
// every field, the page and the visitor's address.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { buildWidget } from '../../widget/build.mjs';
import { api, login, type Login } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

let server: TestServer;
let admin: Login;
let browser: Browser;

beforeAll(async () => {
  await buildWidget(); // the server loads widget/dist when it starts
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  const settings = await api(server.url, admin, 'PUT', '/api/v1/widget-settings', {
    offlineForm: {
      fields: [
        { id: 'name', label: '姓名', required: false },
        { id: 'order_no', label: '订单号', required: true, maxLength: 40 },
        { id: 'email', label: '邮箱', required: false },
        { id: 'content', label: '留言内容', required: true },
      ],
    },
    iconTexts: { online: '在线咨询', offline: '给我们留言' },
  });
  expect(settings.status).toBe(200);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const VIEWPORTS: Array<{ name: string; ip: string; options: BrowserContextOptions }> = [
  { name: 'desktop', ip: '110.185.39.26', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', ip: '58.60.1.1', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

describe.each(VIEWPORTS)('G2 leave a message with the company fields ($name)', ({ name, ip, options }) => {
  it('shows the configured fields, names a missing required one, stores every field', async () => {
    const context = await browser.newContext({ ...options, locale: 'en-US', extraHTTPHeaders: { 'x-forwarded-for': ip } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${server.url}/demo`);
      await page.waitForFunction(() => (globalThis as unknown as { Switchboard?: { state: string | null } }).Switchboard?.state === 'offline', undefined, { timeout: 15_000 });
      await page.locator('[data-sb="icon"]').click();
      const f = page.frameLocator('iframe[data-sb="window"]');
      const form = f.locator('form.sb-form');
      await form.waitFor({ state: 'visible' });
      await expect.poll(() => form.locator('.sb-field > span').allTextContents()).toEqual(['Name', '订单号 *', 'Email', 'Message *']);

      await form.locator('input[name="email"]').fill('li@example.cn');
      await form.locator('textarea[name="content"]').fill(`Where is my parcel? (${name})`);
      await form.locator('button[type="submit"]').click();
      await f.locator('.sb-form-status', { hasText: 'Please fill in 订单号.' }).waitFor();

      await form.locator('input[name="order_no"]').fill(`SO-${name}-1024`);
      await form.locator('button[type="submit"]').click();
      await f.locator('.sb-form-status', { hasText: 'Thank you' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, `widget-offline-form-${name}.png`) });

      const items = (await api(server.url, admin, 'GET', '/api/v1/offline-messages')).json.items as Array<{ ip: string; fields: Record<string, string>; sourceUrl: string; region: string }>;
      const stored = items.find((m) => m.ip === ip)!;
      expect(stored.fields).toEqual({ order_no: `SO-${name}-1024`, email: 'li@example.cn', content: `Where is my parcel? (${name})` });
      expect(stored.sourceUrl).toBe(`${server.url}/demo`);
      expect(stored.region).not.toBe('');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
