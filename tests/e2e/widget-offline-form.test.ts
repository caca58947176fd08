// G2 / J4 in a real browser on /demo, desktop and phone: nobody is online, so the
// widget offers the leave-a-message form with the company's configured fields
// (its own labels as typed, the default ones in the visitor's language, required
// ones marked); a required field left empty is named; the message is stored with
// every field, the page and the visitor's address.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, type Login } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { SHOTS } from '../helpers/browser.js';
import { VIEWPORTS, widgetWorld, type WidgetWorld } from './widget-browser.js';

let world: WidgetWorld;
let server: TestServer;
let admin: Login;
let browser: Browser;
/** an address per layout, so each finds its own stored message */
const IPS = { desktop: '110.185.39.26', phone: '58.60.1.1' };

beforeAll(async () => {
  world = await widgetWorld({ agentOnline: false });
  ({ server, admin, browser } = world);
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
});

afterAll(async () => {
  await world?.close();
});

describe.each(VIEWPORTS)('G2 leave a message with the company fields ($name)', ({ name, options }) => {
  it('shows the configured fields, names a missing required one, stores every field', async () => {
    const ip = IPS[name];
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
