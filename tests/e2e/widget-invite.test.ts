// D7 from the visitor's side, in a real browser against the real server: an agent
// invites the visitor on /demo. `popup` shows the invitation card (greeting, 接受 /
// 关闭) in a small window; 接受 asks for a chat (the agent's queue gets it); 关闭
// declines and the card goes away; `chat` opens the chat window with the greeting.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildWidget } from '../../widget/build.mjs';
import { login, openAgent, type AgentClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser } from './widget-browser.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.tmp/screenshots');

let server: TestServer;
let agent: AgentClient;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await buildWidget(); // the server loads widget/dist when it starts
  server = await startTestServer();
  const demo = server.demo!;
  agent = await openAgent(server.url, await login(server.url, demo.companyId, demo.agentId, demo.password));
  agent.send({ type: 'agent.hello' });
  await agent.waitFor('agent.ready');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await agent?.close();
  await server?.dispose();
});

interface HostWindow { Switchboard?: { state: string | null } }

/** A fresh visitor on /demo, online; returns its page and visitor id. */
async function visit(): Promise<{ page: Page; vid: string; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/demo`);
  await page.waitForFunction(() => (globalThis as unknown as HostWindow).Switchboard?.state === 'online', undefined, { timeout: 15_000 });
  const src = await page.locator('iframe[data-sb="window"]').getAttribute('src');
  const vid = new URL(src!).searchParams.get('vid')!;
  expect(vid).toBeTruthy();
  return { page, vid, errors, close: () => context.close() };
}

const frameBox = (page: Page) => page.locator('iframe[data-sb="window"]').boundingBox();

describe('widget invitation (D7)', () => {
  it('popup: the card shows the greeting; 接受 asks for a chat the agent sees', async () => {
    const v = await visit();
    try {
      const greeting = '您好！需要帮您挑选尺码吗？';
      agent.send({ type: 'visitor.invite', visitorId: v.vid, kind: 'popup', greeting });
      const frame = v.page.frameLocator('iframe[data-sb="window"]');
      const card = frame.locator('[data-sb="invite"]');
      await card.waitFor({ state: 'visible' });
      expect(await card.locator('.sb-invite-text').textContent()).toBe(greeting);
      expect(await frame.locator('[data-sb="invite-accept"]').textContent()).toMatch(/接受|Accept/);
      expect(await frame.locator('[data-sb="invite-close"]').textContent()).toMatch(/关闭|Close/);
      // A small window over the page, not the whole chat.
      const small = await frameBox(v.page);
      expect(small!.height).toBeLessThan(300);
      await v.page.screenshot({ path: path.join(SHOTS, 'widget-invite.png') });

      await frame.locator('[data-sb="invite-accept"]').click();
      await card.waitFor({ state: 'hidden' });
      const snap = await agent.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.visitorId === v.vid));
      expect(snap.queue.some((c) => c.visitorId === v.vid)).toBe(true);
      // The chat window is shown in full now.
      await frame.locator('textarea.sb-text').waitFor({ state: 'visible' });
      expect((await frameBox(v.page))!.height).toBeGreaterThan(300);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it('popup: 关闭 declines and the card goes away', async () => {
    const v = await visit();
    try {
      const greeting = '<b>欢迎光临</b><img src=x onerror="parent.hacked=1">';
      agent.send({ type: 'visitor.invite', visitorId: v.vid, kind: 'popup', greeting });
      const frame = v.page.frameLocator('iframe[data-sb="window"]');
      const card = frame.locator('[data-sb="invite"]');
      await card.waitFor({ state: 'visible' });
      // Text stays text.
      expect(await card.locator('.sb-invite-text').textContent()).toBe(greeting);
      expect(await card.locator('b, img').count()).toBe(0);
      await frame.locator('[data-sb="invite-close"]').click();
      await card.waitFor({ state: 'hidden' });
      await v.page.locator('iframe[data-sb="window"]').waitFor({ state: 'hidden' });
      // Declined: no chat was asked for this visitor.
      await new Promise((r) => setTimeout(r, 500));
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it('chat: the window opens by itself with the greeting as a system line', async () => {
    const v = await visit();
    try {
      agent.send({ type: 'visitor.invite', visitorId: v.vid, kind: 'chat', greeting: '您好，我是客服，看到您在看这款产品' });
      const frame = v.page.frameLocator('iframe[data-sb="window"]');
      await frame.locator('.sb-msg--system', { hasText: '看到您在看这款产品' }).waitFor();
      await frame.locator('textarea.sb-text').waitFor({ state: 'visible' });
      expect(await frame.locator('[data-sb="invite"]').isVisible()).toBe(false);
      // It does not block the page: the page around the window still takes clicks.
      expect((await frameBox(v.page))!.width).toBeLessThan(500);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });
});
