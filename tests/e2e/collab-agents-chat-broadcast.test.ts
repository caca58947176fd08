// Internal collaboration in real browsers against the real server (A5, F1, F2,
// B3): the admin adds a second agent through 客服管理, the two chat through
// 客服对话 with the toolbar's unread badge, a file goes across, and a broadcast
// to everyone pops up for the other agent and lands in their panel.
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;
let admin: Page;
let bella: Page;

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  return context.newPage();
}

async function logIn(page: Page, agentId: string, password: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.fill('[data-test=company-id]', server.demo!.companyId);
  await page.fill('[data-test=agent-id]', agentId);
  await page.fill('[data-test=password]', password);
  await page.click('[data-test=login-submit]');
  await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  admin = await newPage();
  await logIn(admin, server.demo!.agentId, server.demo!.password);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('internal collaboration in the console', () => {
  it('A5 the admin adds a second agent in 客服管理, who can then log in', async () => {
    await admin.click('[data-test=nav-agents]');
    await admin.click('[data-test=agents-add]');
    await admin.fill('[data-test=agents-form-id]', 'bella');
    await admin.fill('[data-test=agents-form-name]', 'Bella');
    await admin.fill('[data-test=agents-form-password]', 'bella-password-1');
    await admin.click('[data-test=agents-perm-transfer]');
    await admin.click('[data-test=agents-form-save]');
    await admin.locator('[data-test=agents-table] tr', { hasText: 'bella' }).waitFor();
    await expect.poll(() => admin.locator('[data-test=agents-table] tr', { hasText: 'bella' }).innerText()).toContain('传送对话');
    await admin.screenshot({ path: path.join(SHOTS, 'collab-agents.png') });

    bella = await newPage();
    await logIn(bella, 'bella', 'bella-password-1');
    expect(await bella.locator('[data-test=agent-name]').innerText()).toContain('Bella');
  });

  it('F1 a message to Bella raises her 客服对话 badge until she opens the thread; replies and files go both ways', async () => {
    await admin.click('[data-test=counter-agentchat]');
    await admin.click('[data-test=agentchat-contact-bella]');
    await admin.fill('[data-test=agentchat-input]', '<b>能帮忙接一下 VIP 吗？</b>');
    await admin.click('[data-test=agentchat-send]');
    await admin.locator('[data-test=agentchat-message]', { hasText: 'VIP' }).waitFor();

    const badge = bella.locator('[data-test=counter-agentchat]');
    await expect.poll(() => badge.innerText()).toContain('1');
    expect(await badge.getAttribute('class')).toContain('hot');
    await bella.screenshot({ path: path.join(SHOTS, 'collab-unread-badge.png') });

    await badge.click();
    await bella.locator('[data-test=agentchat-contact-admin] [data-test=agentchat-contact-unread]').waitFor();
    await bella.click('[data-test=agentchat-contact-admin]');
    // Rendered as text: the tags show, no <b> element exists.
    await bella.locator('[data-test=agentchat-message]', { hasText: '<b>能帮忙接一下 VIP 吗？</b>' }).waitFor();
    expect(await bella.locator('[data-test=agentchat-thread] .bubble b').count()).toBe(0);
    await expect.poll(() => badge.innerText()).toMatch(/\b0\b/);

    await bella.fill('[data-test=agentchat-input]', '好的，我来');
    await bella.press('[data-test=agentchat-input]', 'Enter');
    await admin.locator('[data-test=agentchat-message]', { hasText: '好的，我来' }).waitFor();

    await admin.setInputFiles('[data-test=agentchat-file-input]', { name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nplan\n%%EOF\n') });
    await bella.locator('[data-test=agentchat-file]', { hasText: 'plan.pdf' }).waitFor();
    await bella.screenshot({ path: path.join(SHOTS, 'collab-agent-chat.png') });
  });

  it('F2 a broadcast to everyone pops up for Bella and shows in her panel', async () => {
    await admin.click('[data-test=nav-broadcasts]');
    await admin.fill('[data-test=broadcast-text]', '下午三点开会');
    await admin.click('[data-test=broadcast-submit]');
    const popup = bella.locator('.broadcast-popup', { hasText: '下午三点开会' });
    await popup.waitFor({ timeout: 15_000 });
    expect(await popup.innerText()).toContain('Demo Admin');
    await bella.locator('[data-test=broadcast-item]', { hasText: '下午三点开会' }).waitFor();
    await bella.screenshot({ path: path.join(SHOTS, 'collab-broadcast-popup.png') });

    await admin.click('.el-tabs__item:has-text("已发通知")');
    await admin.locator('[data-test=broadcast-sent] tr', { hasText: '下午三点开会' }).waitFor();
    await admin.screenshot({ path: path.join(SHOTS, 'collab-broadcasts-sent.png') });
  });
});
