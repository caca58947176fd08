// The first chat from the visitor's side, in a real browser against the real
// server: a customer site with a strict CSP embeds the loader; the visitor writes
// in the widget (zh-CN UI), an agent (a ws client) accepts and answers; text stays
// text; typing both ways (E4); unread badge while minimised; a reload resumes the
// chat from the server without duplicates (B5); the visitor ends it (D8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildWidget } from '../../widget/build.mjs';
import { login, openAgent, type AgentClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { hostSite, launchBrowser, type Site } from './widget-browser.js';

let server: TestServer;
let agent: AgentClient;
let host: Site;
let browser: Browser;

beforeAll(async () => {
  await buildWidget(); // the server loads widget/dist when it starts
  server = await startTestServer();
  const demo = server.demo!;
  agent = await openAgent(server.url, await login(server.url, demo.companyId, demo.agentId, demo.password));
  agent.send({ type: 'agent.hello' });
  await agent.waitFor('agent.ready');
  host = await hostSite(server.url, () => `data-key="${demo.publicKey}" data-lang="zh-CN"`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await agent?.close();
  await server?.dispose();
});

interface HostWindow { Switchboard?: { state: string | null } }

describe('widget first chat', () => {
  it('D1 E1 E4 B5 D8: queue, accept, both ways as text, unread badge, resume after reload, end', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (/Refused to|Content Security Policy/i.test(m.text())) errors.push(m.text()); });
    await page.goto(host.url);

    const icon = page.locator('[data-sb="icon"]');
    await page.waitForFunction(() => (globalThis as unknown as HostWindow).Switchboard?.state === 'online', undefined, { timeout: 15_000 });
    expect(await icon.getAttribute('aria-label')).toBe('在线咨询');
    await icon.click();
    const frame = page.frameLocator('iframe[data-sb="window"]');
    const input = frame.locator('textarea.sb-text');
    await input.waitFor({ state: 'visible' });
    expect(await frame.locator('.sb-title').textContent()).toBe('在线客服');

    // D1: the first message opens the chat; the queue position shows.
    await input.fill('你好，我的订单到哪里了？');
    await input.press('Enter');
    await frame.locator('.sb-msg--visitor:not(.sb-msg--pending) .sb-bubble', { hasText: '订单' }).waitFor();
    await frame.locator('.sb-banner', { hasText: '排在第 1 位' }).waitFor();
    const snap = await agent.waitFor('queue.snapshot', (f) => f.queue.some((c) => c.firstMessage === '你好，我的订单到哪里了？'));
    const conversationId = snap.queue.find((c) => c.firstMessage === '你好，我的订单到哪里了？')!.id;

    agent.send({ type: 'conversation.accept', conversationId });
    await frame.locator('.sb-msg--system', { hasText: '已加入对话' }).waitFor();
    await frame.locator('.sb-banner').waitFor({ state: 'hidden' });

    // E4 both ways: the agent sees the visitor's draft; the visitor sees "typing".
    await input.pressSequentially('请尽快', { delay: 30 });
    await agent.waitFor('typing', (f) => f.conversationId === conversationId && f.draft === '请尽快');
    agent.send({ type: 'typing', conversationId });
    await frame.locator('.sb-typing', { hasText: '正在输入' }).waitFor();

    // Agent text that looks like markup is shown as text.
    const evil = '<img src=x onerror="parent.hacked=1">您的包裹已发出 📦';
    agent.send({ type: 'message.send', conversationId, clientMsgId: 'a-1', text: evil });
    const agentBubble = frame.locator('.sb-msg--agent .sb-bubble', { hasText: '包裹' });
    await agentBubble.waitFor();
    expect(await agentBubble.textContent()).toBe(evil);
    expect(await frame.locator('.sb-list img').count()).toBe(0);
    await frame.locator('.sb-typing').waitFor({ state: 'hidden' });

    // E1: an emoji from the picker goes out with the text.
    await input.fill('谢谢');
    await frame.locator('.sb-tool').click();
    await frame.locator('.sb-emoji-btn', { hasText: '👍' }).click();
    await frame.locator('.sb-send').click();
    await agent.waitFor('message.created', (f) => f.message.text === '谢谢👍');

    // Minimised, a new agent message raises the unread badge on the icon.
    await frame.locator('.sb-head-btn[aria-label="最小化"]').click();
    await page.locator('iframe[data-sb="window"]').waitFor({ state: 'hidden' });
    agent.send({ type: 'message.send', conversationId, clientMsgId: 'a-2', text: '还有其他问题吗？' });
    await expect.poll(() => page.locator('[data-sb="unread"]').textContent(), { timeout: 10_000 }).toBe('1');

    // B5: a reload resumes the same chat from the server, in seq order, once each.
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as HostWindow).Switchboard?.state === 'online', undefined, { timeout: 15_000 });
    await page.locator('[data-sb="icon"]').click();
    const bubbles = page.frameLocator('iframe[data-sb="window"]').locator('.sb-list .sb-bubble');
    await expect.poll(() => bubbles.allTextContents(), { timeout: 10_000 }).toEqual([
      '你好，我的订单到哪里了？', evil, '谢谢👍', '还有其他问题吗？',
    ]);

    // D8: the visitor ends the chat, after confirming.
    const frame2 = page.frameLocator('iframe[data-sb="window"]');
    await frame2.locator('.sb-head-btn[aria-label="结束对话"]').click();
    await frame2.locator('.sb-banner-btn', { hasText: '结束对话' }).click();
    await agent.waitFor('conversation.updated', (f) => f.conversation.id === conversationId && f.conversation.state === 'ended');
    await frame2.locator('.sb-ended', { hasText: '对话已结束' }).waitFor();

    expect(await page.evaluate(() => (globalThis as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
