// The console side of a chat in a real browser against the real server
// (D2, D8, E4, B3, B5): accept from 等待接入, both sides' messages in seq
// order, the visitor's draft, unread badges, a send lost with the connection
// resent once after reconnecting, and 结束对话 moving the chat to 已结束的对话.
import path from 'node:path';
import { type Browser, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVisitor, type VisitorClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { logIn } from './console-pages.js';

let server: TestServer;
let browser: Browser;
let page: Page;
/** the page side of the console's current /ws/agent connection */
let agentSocket: WebSocketRoute | null = null;
/** while true, message.send frames from the console are lost on the way */
let loseSends = false;
const visitors: VisitorClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  page = await context.newPage();
  // Pass the console's socket through, so the test can cut it and lose frames.
  await page.routeWebSocket(/\/ws\/agent$/, (ws) => {
    agentSocket = ws;
    const upstream = ws.connectToServer();
    ws.onMessage((m) => {
      if (loseSends && String(m).includes('"message.send"')) return;
      upstream.send(m);
    });
  });

  await logIn(page, server.url, server.demo!);
});

afterAll(async () => {
  await Promise.all(visitors.map((v) => v.close()));
  await browser?.close();
  await server?.dispose();
});

async function visitorAsks(visitorId: string, name: string, text: string): Promise<{ visitor: VisitorClient; conversationId: string }> {
  const visitor = await openVisitor(server.url, server.demo!.publicKey, visitorId);
  visitors.push(visitor);
  visitor.send({ type: 'visitor.hello', name });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text, clientMsgId: `${visitorId}-1` });
  const queued = await visitor.waitFor('chat.queued');
  return { visitor, conversationId: queued.conversationId };
}

const row = (list: string, conversationId: string) => page.locator(`[data-test=${list}] [data-conversation="${conversationId}"]`);
const bubbleTexts = () => page.locator('[data-test=chat-pane] [data-test=message] .bubble').allTextContents();
const seqs = () => page.locator('[data-test=chat-pane] [data-test=message]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));

async function send(text: string): Promise<void> {
  await page.fill('[data-test=chat-input]', text);
  await page.press('[data-test=chat-input]', 'Enter');
}

describe('console chat', () => {
  let first: { visitor: VisitorClient; conversationId: string };

  it('D2: a waiting visitor is listed with the first message and accepted by hand', async () => {
    first = await visitorAsks('visitor-console-0001', '张三', '你好，我想咨询一下退货流程');
    const waiting = row('waiting-list', first.conversationId);
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('你好，我想咨询一下退货流程');
    expect(await page.textContent('[data-test=counter-waiting]')).toContain('1');
    await page.screenshot({ path: path.join(SHOTS, 'console-waiting.png') });

    await waiting.locator('[data-test=accept]').click();
    await first.visitor.waitFor('chat.assigned');
    await row('my-chats', first.conversationId).waitFor();
    expect(await waiting.count()).toBe(0);
  });

  it('E4: messages both ways show in seq order, visitor text stays text, the draft is previewed', async () => {
    await row('my-chats', first.conversationId).click();
    await send('您好，请问订单号是多少？');
    await first.visitor.waitFor('message.created', (f) => f.message.text === '您好，请问订单号是多少？');
    first.visitor.send({ type: 'message.send', conversationId: first.conversationId, clientMsgId: 'v1-2', text: '订单号 2026-0042 <b>不是粗体</b>' });
    await page.locator('[data-test=message]', { hasText: '<b>不是粗体</b>' }).waitFor();
    first.visitor.send({ type: 'typing', conversationId: first.conversationId, draft: '另外运费怎么算' });
    await page.locator('[data-test=visitor-draft]', { hasText: '另外运费怎么算' }).waitFor();

    expect(await bubbleTexts()).toEqual(['你好，我想咨询一下退货流程', '您好，请问订单号是多少？', '订单号 2026-0042 <b>不是粗体</b>']);
    expect(await seqs()).toEqual([1, 2, 3]);
    expect(await page.locator('[data-test=chat-pane] b').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'console-chat.png') });
  });

  it('B3: a message in a chat that is not open raises its unread badge and the toolbar count', async () => {
    const second = await visitorAsks('visitor-console-0002', '李四', '在吗？');
    await row('waiting-list', second.conversationId).locator('[data-test=accept]').click();
    await row('my-chats', second.conversationId).waitFor();
    // Accepting opens the chat; go back to the first so the second is not open.
    await page.locator('[data-test=chat-pane]', { hasText: '李四' }).waitFor();
    await row('my-chats', first.conversationId).click();
    await page.locator('[data-test=chat-pane]', { hasText: '张三' }).waitFor();
    second.visitor.send({ type: 'message.send', conversationId: second.conversationId, clientMsgId: 'v2-2', text: '有人吗' });
    await row('my-chats', second.conversationId).locator('[data-test=unread-badge]', { hasText: '1' }).waitFor();
    expect(await page.textContent('[data-test=counter-unread]')).toMatch(/1/);

    await row('my-chats', second.conversationId).click();
    await page.locator('[data-test=counter-unread]', { hasText: '0' }).waitFor();
    await row('my-chats', first.conversationId).click();
  });

  it('B5: a send lost with the connection is shown pending and delivered once after reconnecting', async () => {
    loseSends = true;
    await send('断线时发出的消息');
    const pending = page.locator('[data-test=pending-message]', { hasText: '断线时发出的消息' });
    await pending.waitFor();

    const before = agentSocket;
    loseSends = false;
    before!.close({ code: 4000, reason: 'test cut' });
    await page.locator('[data-test=connection]', { hasText: '已断开' }).waitFor();
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 20_000 });
    expect(agentSocket).not.toBe(before);

    await pending.waitFor({ state: 'detached' });
    const delivered = await first.visitor.waitFor('message.created', (f) => f.message.text === '断线时发出的消息');
    expect(await bubbleTexts()).toContain('断线时发出的消息');
    expect(await seqs()).toEqual([...(await seqs())].sort((a, b) => a - b));
    // the same clientMsgId means one stored message, even if the server saw it twice
    await new Promise((r) => setTimeout(r, 500));
    expect(first.visitor.all('message.created').filter((f) => f.message.text === '断线时发出的消息')).toHaveLength(1);
    expect((await seqs()).filter((s) => s === delivered.message.seq)).toHaveLength(1);
  });

  it('D8: 结束对话 ends the chat for the visitor and moves it to 已结束的对话', async () => {
    await page.click('[data-test=end-chat]');
    await page.locator('.el-message-box .el-button--primary').click();
    await first.visitor.waitFor('chat.ended');
    await row('ended-chats', first.conversationId).waitFor();
    expect(await row('my-chats', first.conversationId).count()).toBe(0);
    await page.locator('[data-test=chat-pane]', { hasText: '对话已结束' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-ended.png') });

    await page.click('[data-test=nav-history]');
    await page.locator('[data-test=history-table] .el-table__row', { hasText: '张三' }).click();
    await page.locator('.transcript [data-test=message]', { hasText: '断线时发出的消息' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'history.png') });
  });
});
