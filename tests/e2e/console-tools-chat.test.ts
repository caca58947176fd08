// The console tools in a real browser against the real server: canned
// responses searched and inserted by double-click (E5), a common link pushed
// to the visitor (E6), the send-key setting taking effect at once and after a
// reload (B4), an evaluation saved with the 等待评估 counter dropping (E10), and
// the customer card edited and still there after a reload (E11).
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, openVisitor, type Login, type VisitorClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let admin: Login;
let visitor: VisitorClient;
let conversationId: string;
const extra: VisitorClient[] = [];

const row = (list: string, id: string) => page.locator(`[data-test=${list}] [data-conversation="${id}"]`);
const input = () => page.locator('[data-test=chat-input]');

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  // Lists the console works with, made over the REST API.
  await api(server.url, admin, 'POST', '/api/v1/canned-responses', { scope: 'company', category: 'welcome', text: '您好，欢迎光临，请问有什么可以帮您？' });
  await api(server.url, admin, 'POST', '/api/v1/canned-responses', { scope: 'personal', category: 'common', title: '订单', text: '请提供您的订单号 <b>谢谢</b>' });
  await api(server.url, admin, 'POST', '/api/v1/canned-responses', { scope: 'company', category: 'closing', text: '感谢咨询，再见！' });
  await api(server.url, admin, 'POST', '/api/v1/common-links', { scope: 'company', title: '退货政策', url: 'https://shop.example.com/returns' });
  await api(server.url, admin, 'PUT', '/api/v1/evaluation-topics', { topics: [{ name: '售后咨询', isDefault: true }, { name: '产品咨询' }] });

  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('[data-test=company-id]', demo.companyId);
  await page.fill('[data-test=agent-id]', demo.agentId);
  await page.fill('[data-test=password]', demo.password);
  await page.click('[data-test=login-submit]');
  await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });

  visitor = await openVisitor(server.url, demo.publicKey, 'visitor-tools-0001');
  visitor.send({ type: 'visitor.hello', name: '刘女士' });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text: '我想退货', clientMsgId: 'tools-1' });
  conversationId = (await visitor.waitFor('chat.queued')).conversationId;
  await row('waiting-list', conversationId).locator('[data-test=accept]').click();
  await visitor.waitFor('chat.assigned');
  await row('my-chats', conversationId).click();
  await page.locator(`[data-test=chat-pane][data-conversation="${conversationId}"]`).waitFor();
});

afterAll(async () => {
  await visitor?.close();
  await Promise.all(extra.map((v) => v.close()));
  await browser?.close();
  await server?.dispose();
});

describe('console tools', () => {
  it('E5: search narrows the canned list; double-click inserts the text, which sends as text', async () => {
    const items = page.locator('[data-test=canned-item]');
    await items.first().waitFor();
    expect(await items.count()).toBe(3);
    await page.fill('[data-test=canned-search]', '订单号');
    await expect.poll(() => items.count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'console-tools-canned.png') });
    await items.first().dblclick();
    await expect.poll(() => input().inputValue()).toBe('请提供您的订单号 <b>谢谢</b>');
    await input().press('Enter');
    await visitor.waitFor('message.created', (f) => f.message.text === '请提供您的订单号 <b>谢谢</b>');
    await page.fill('[data-test=canned-search]', '');
    await expect.poll(() => items.count()).toBe(3);
  });

  it('E6: double-clicking a common link sends it to the visitor', async () => {
    await page.getByRole('tab', { name: '常用链接' }).click();
    await page.locator('[data-test=link-item]', { hasText: '退货政策' }).dblclick();
    await visitor.waitFor('message.created', (f) => f.message.text === '退货政策 https://shop.example.com/returns');
    await page.getByRole('tab', { name: '常用语' }).click();
  });

  it('B4: switching to Ctrl+Enter takes effect at once and survives a reload', async () => {
    await page.click('[data-test=nav-settings]');
    await page.locator('[data-test=send-key-ctrl]').click();
    await expect.poll(async () => (await api(server.url, admin, 'GET', '/api/v1/me/settings')).json.settings.sendKey).toBe('ctrlEnter');
    await page.screenshot({ path: path.join(SHOTS, 'console-tools-settings.png') });
    await page.click('nav.nav a[href="/"]');
    await row('my-chats', conversationId).click();

    await input().fill('第一行');
    await input().press('Enter'); // a new line now, not a send
    expect(await input().inputValue()).toBe('第一行\n');
    await input().pressSequentially('第二行');
    await input().press('Control+Enter');
    await visitor.waitFor('message.created', (f) => f.message.text === '第一行\n第二行');
    expect(await input().inputValue()).toBe('');

    await page.reload();
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
    await row('my-chats', conversationId).click();
    await expect.poll(() => page.getAttribute('[data-test=chat-input]', 'data-send-key')).toBe('ctrlEnter');
  });

  it('E10: ending the chat adds it to 等待评估; saving the evaluation takes it off', async () => {
    const counter = page.locator('[data-test=counter-evaluation] b');
    expect(await counter.textContent()).toBe('0');
    await page.click('[data-test=end-chat]');
    await page.locator('.el-message-box .el-button--primary').click();
    await visitor.waitFor('chat.ended');
    await expect.poll(() => counter.textContent()).toBe('1');

    await row('ended-chats', conversationId).click();
    await page.getByRole('tab', { name: '对话评估' }).click();
    const form = page.locator('[data-test=evaluation-form]');
    await expect.poll(() => form.locator('[data-test=eval-name]').inputValue()).toBe('刘女士');
    expect(await form.locator('[data-test=eval-topic]').textContent()).toContain('售后咨询');
    await form.locator('[data-test=eval-level]').fill('A');
    await form.locator('[data-test=eval-remarks]').fill('要退货，<i>已处理</i>');
    expect(await form.textContent()).not.toContain('tools.'); // every label resolved
    await page.screenshot({ path: path.join(SHOTS, 'console-tools-evaluation.png') });
    await form.locator('[data-test=eval-save]').click();
    await expect.poll(() => counter.textContent()).toBe('0');
    const saved = (await api(server.url, admin, 'GET', `/api/v1/conversations/${conversationId}/evaluation`)).json.evaluation;
    expect(saved).toMatchObject({ name: '刘女士', topic: '售后咨询', level: 'A', remarks: '要退货，<i>已处理</i>' });
  });

  it('E11: the customer card is created and edited for the visitor and persists after a reload', async () => {
    await page.getByRole('tab', { name: '客户信息' }).click();
    const card = page.locator('[data-test=customer-card]');
    await card.locator('[data-test=customer-create]').click();
    await card.locator('[data-test=customer-phone]').fill('13456789000');
    await card.locator('[data-test=customer-org]').fill('{{ 某某公司 }}');
    await card.locator('[data-test=customer-save]').click();
    await card.locator('[data-test=customer-view-phone]', { hasText: '13456789000' }).waitFor();

    await card.locator('[data-test=customer-edit]').click();
    await card.locator('[data-test=customer-email]').fill('liu@example.com');
    await card.locator('[data-test=customer-save]').click();
    await card.locator('[data-test=customer-view-email]', { hasText: 'liu@example.com' }).waitFor();

    await page.reload();
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
    await row('ended-chats', conversationId).click();
    await page.getByRole('tab', { name: '客户信息' }).click();
    await card.locator('[data-test=customer-view-email]', { hasText: 'liu@example.com' }).waitFor();
    expect(await card.locator('[data-test=customer-view-name]').textContent()).toBe('刘女士');
    expect(await card.locator('[data-test=customer-view-org]').textContent()).toBe('{{ 某某公司 }}');
    expect(await card.textContent()).not.toContain('tools.');
    await page.screenshot({ path: path.join(SHOTS, 'console-tools-customer.png') });
  });

  it('B4: the recorded next-chat shortcut and "switch after sending" move between my chats', async () => {
    const asks = async (vid: string, name: string) => {
      const v = await openVisitor(server.url, server.demo!.publicKey, vid);
      extra.push(v);
      v.send({ type: 'visitor.hello', name });
      await v.waitFor('visitor.ready');
      v.send({ type: 'chat.request', text: `${name} 的问题`, clientMsgId: `${vid}-1` });
      const id = (await v.waitFor('chat.queued')).conversationId;
      await row('waiting-list', id).locator('[data-test=accept]').click();
      await v.waitFor('chat.assigned');
      return { v, id };
    };
    const a = await asks('visitor-tools-0002', '甲');
    const b = await asks('visitor-tools-0003', '乙');
    const shown = () => page.getAttribute('[data-test=chat-pane]', 'data-conversation');

    await page.click('[data-test=nav-settings]');
    await page.click('[data-test=next-chat-shortcut]');
    await page.keyboard.press('Control+Shift+KeyN');
    await page.locator('[data-test=next-chat-shortcut]', { hasText: 'Ctrl+Shift+N' }).waitFor();
    await page.locator('[data-test=switch-after-send]').click();
    await expect.poll(async () => (await api(server.url, admin, 'GET', '/api/v1/me/settings')).json.settings)
      .toMatchObject({ nextChatShortcut: 'Ctrl+Shift+N', switchAfterSend: true });

    await page.click('nav.nav a[href="/"]');
    await row('my-chats', a.id).click();
    await page.keyboard.press('Control+Shift+KeyN');
    await expect.poll(shown).toBe(b.id);
    await page.keyboard.press('Alt+KeyZ'); // the old default no longer switches
    await page.keyboard.press('Control+Shift+KeyN');
    await expect.poll(shown).toBe(a.id);

    await input().fill('马上为您处理');
    await input().press('Control+Enter');
    await a.v.waitFor('message.created', (f) => f.message.text === '马上为您处理');
    await expect.poll(shown).toBe(b.id);
  });
});
