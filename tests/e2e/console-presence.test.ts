// B2 in a real browser against the real server: with a short auto-away idle time,
// an agent who keeps using mouse and keyboard stays online (the console sends
// agent.activity), one who stops is set away by the server and the console shows
// it (toast + 空闲 tag, which puts the agent back online); leaving the page with an
// ongoing chat, or an ended chat not yet evaluated, asks first (beforeunload), and
// does not once everything is evaluated.
import path from 'node:path';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, openVisitor, type Login, type VisitorClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { addAgent, consolePage } from './console-pages.js';

const CARA = { id: 'cara', name: 'Cara', password: 'cara-password-1' };
const IDLE_MS = 3000;

let server: TestServer;
let browser: Browser;
let admin: Login;
let page: Page;
let visitor: VisitorClient | undefined;

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  await addAgent(server, CARA, ['accept_chats']);
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  expect((await api(server.url, admin, 'PUT', '/api/v1/settings/routing', { idleAwayMs: IDLE_MS })).status).toBe(200);
  browser = await launchBrowser();
  page = await consolePage(browser, server.url, demo.companyId, CARA.id, CARA.password);
});

afterAll(async () => {
  await visitor?.close();
  await browser?.close();
  await server?.dispose();
});

const statusButton = (p: Page) => p.locator('[data-test=status-switch] .status-button');

describe('B2 idle auto-away', () => {
  it('an agent who keeps working stays online; one who stops is set away and sees it', async () => {
    expect(await statusButton(page).getAttribute('data-status')).toBe('online');
    // Mouse and keyboard use for more than twice the idle time.
    for (let i = 0; i < 16; i++) {
      await page.mouse.move(300 + (i % 2) * 200, 300);
      if (i % 4 === 0) await page.keyboard.press('Shift');
      await page.waitForTimeout(IDLE_MS / 6);
    }
    expect(await statusButton(page).getAttribute('data-status')).toBe('online');
    expect(await page.locator('[data-test=auto-away]').count()).toBe(0);

    // Hands off: the server sets the agent away and the console shows why.
    await page.locator('[data-test=auto-away]').waitFor({ timeout: IDLE_MS * 4 });
    expect(await statusButton(page).getAttribute('data-status')).toBe('away');
    await page.locator('.el-message', { hasText: '空闲时间过长，已自动设为离开' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-auto-away.png') });

    // Auto-away off from here on (it reaches the live agent at once), so the
    // agent cannot idle away again while the test looks.
    expect((await api(server.url, admin, 'PUT', '/api/v1/settings/routing', { idleAwayMs: 0 })).status).toBe(200);
    await page.click('[data-test=auto-away]');
    await expect.poll(() => statusButton(page).getAttribute('data-status')).toBe('online');
    await page.locator('[data-test=auto-away]').waitFor({ state: 'detached' }); // after its fade-out
  });
});

describe('B2 leaving the page', () => {
  /** Closes the page running beforeunload; resolves with the prompt's type, or null when it just closed. */
  async function tryToLeave(p: Page): Promise<string | null> {
    await p.click('[data-test=agent-name]'); // a user gesture: Chromium prompts only after one
    const prompted = new Promise<Dialog>((resolve) => p.once('dialog', resolve));
    const closed = new Promise<null>((resolve) => p.once('close', () => resolve(null)));
    await p.close({ runBeforeUnload: true });
    const first = await Promise.race([prompted, closed]);
    if (!first) return null;
    const type = first.type();
    await first.dismiss(); // stay
    return type;
  }

  async function secondTab(): Promise<Page> {
    const tab = await page.context().newPage();
    await tab.goto(`${server.url}/`);
    await tab.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
    return tab;
  }

  it('no prompt without ongoing or unevaluated chats', async () => {
    const tab = await secondTab();
    expect(await tryToLeave(tab)).toBeNull();
    expect(tab.isClosed()).toBe(true);
  });

  it('prompts with an ongoing chat, still with the chat ended but not evaluated, and no more once evaluated', async () => {
    visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-leave-0001');
    visitor.send({ type: 'visitor.hello', name: '孙女士' });
    await visitor.waitFor('visitor.ready');
    visitor.send({ type: 'chat.request', text: '在吗', clientMsgId: 'leave-1' });
    const conversationId = (await visitor.waitFor('chat.queued')).conversationId;
    const tab = await secondTab();
    await tab.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"] [data-test=accept]`).click();
    await visitor.waitFor('chat.assigned');
    await tab.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).waitFor();

    expect(await tryToLeave(tab)).toBe('beforeunload');
    expect(tab.isClosed()).toBe(false);

    await tab.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).click();
    await tab.click('[data-test=end-chat]');
    await tab.locator('.el-message-box .el-button--primary').click();
    await visitor.waitFor('chat.ended');
    await expect.poll(() => tab.locator('[data-test=counter-evaluation] b').textContent()).toBe('1');
    expect(await tryToLeave(tab)).toBe('beforeunload');

    await tab.locator(`[data-test=ended-chats] [data-conversation="${conversationId}"]`).click();
    await tab.getByRole('tab', { name: '对话评估' }).click();
    await tab.locator('[data-test=evaluation-form] [data-test=eval-save]').click();
    await expect.poll(() => tab.locator('[data-test=counter-evaluation] b').textContent()).toBe('0');
    expect(await tryToLeave(tab)).toBeNull();
  });
});
