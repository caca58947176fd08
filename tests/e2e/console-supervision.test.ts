// Routing answers that say no, and supervision, in two real browsers against the
// real server (D5, D6, D2): B rejects a transfer in 响应传送, A is told and keeps
// the chat; A (admin) monitors B and 接管 takes B's chat: B loses it and is told,
// the visitor now talks to A; with 自动分配 on, the agent offered a chat declines
// it and the other agent gets the offer and takes it.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, openVisitor, type VisitorClient } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { SHOTS } from '../helpers/browser.js';
import { BOB, twoConsoles } from './console-pages.js';

const B = BOB;

let server: TestServer;
let browser: Browser;
let a: Page;
let b: Page;
const visitors: VisitorClient[] = [];

beforeAll(async () => {
  ({ server, browser, a, b } = await twoConsoles());
});

afterAll(async () => {
  await Promise.all(visitors.map((v) => v.close()));
  await browser?.close();
  await server?.dispose();
});

async function visitorAsks(vid: string, name: string, text: string): Promise<VisitorClient> {
  const visitor = await openVisitor(server.url, server.demo!.publicKey, vid);
  visitors.push(visitor);
  visitor.send({ type: 'visitor.hello', name });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text, clientMsgId: `${vid}-1` });
  return visitor;
}

async function queued(vid: string, name: string, text: string): Promise<{ visitor: VisitorClient; conversationId: string }> {
  const visitor = await visitorAsks(vid, name, text);
  return { visitor, conversationId: (await visitor.waitFor('chat.queued')).conversationId };
}

const row = (p: Page, list: string, id: string) => p.locator(`[data-test=${list}] [data-conversation="${id}"]`);
const message = (p: Page, text: string) => p.locator('[data-test=chat-pane] [data-test=message]', { hasText: text });

async function say(p: Page, text: string): Promise<void> {
  await p.fill('[data-test=chat-input]', text);
  await p.press('[data-test=chat-input]', 'Enter');
}

async function accept(p: Page, visitor: VisitorClient, conversationId: string): Promise<void> {
  await row(p, 'waiting-list', conversationId).locator('[data-test=accept]').click();
  await visitor.waitFor('chat.assigned');
  await row(p, 'my-chats', conversationId).click();
  await p.locator(`[data-test=chat-pane][data-conversation="${conversationId}"]`).waitFor();
}

describe('console supervision', () => {
  it('响应传送 拒绝: B refuses, A is told and keeps talking to the visitor', async () => {
    const { visitor, conversationId } = await queued('visitor-super-0001', '周先生', '发票怎么开');
    await accept(a, visitor, conversationId);
    await a.click('[data-test=transfer-open]');
    const dialog = a.locator('[data-test=transfer-dialog]');
    await dialog.locator(`[data-test=transfer-agent-${B.id}]`).click();
    await dialog.locator('[data-test=transfer-submit]').click();

    const offer = b.locator('[data-test=transfer-offer]');
    await offer.locator('text=周先生').waitFor();
    const toldA = a.locator('.el-message', { hasText: 'Bob 拒绝了传送' }).waitFor();
    await offer.locator('[data-test=transfer-reject]').click();
    await toldA;
    await a.waitForTimeout(400); // the toast's slide-in
    await a.screenshot({ path: path.join(SHOTS, 'console-transfer-rejected.png') });
    await offer.locator('text=周先生').waitFor({ state: 'hidden' });

    // Still A's chat: in A's list, not in B's, and A's next message reaches the visitor.
    await row(a, 'my-chats', conversationId).waitFor();
    expect(await row(b, 'my-chats', conversationId).count()).toBe(0);
    await say(a, '抱歉，还是我来为您处理');
    await visitor.waitFor('message.created', (f) => f.message.text === '抱歉，还是我来为您处理');
    expect(visitor.all('chat.assigned').map((f) => f.agent.id)).toEqual([server.demo!.agentId]);
  });

  it('监控 接管: A takes over B\'s chat; B loses it and is told; the visitor now talks to A', async () => {
    const { visitor, conversationId } = await queued('visitor-super-0002', '吴女士', '物流到哪了');
    await accept(b, visitor, conversationId);
    await say(b, '我查一下');
    await visitor.waitFor('message.created', (f) => f.message.text === '我查一下');

    await a.click('[data-test=monitor-open]');
    await a.click(`[data-test=monitor-start-${B.id}]`);
    await row(a, 'monitored-chats', conversationId).click();
    await a.locator('[data-test=monitor-banner]').waitFor();
    await message(a, '我查一下').waitFor();
    const toldB = b.locator('.el-message', { hasText: '与 吴女士 的对话已被' }).waitFor();
    await a.click('[data-test=takeover]');

    await row(a, 'my-chats', conversationId).waitFor();
    await a.locator(`[data-test=chat-pane][data-conversation="${conversationId}"] [data-test=chat-input]`).waitFor();
    expect(await a.locator('[data-test=monitor-banner]').count()).toBe(0);
    await row(b, 'my-chats', conversationId).waitFor({ state: 'detached' });
    await toldB;
    await b.screenshot({ path: path.join(SHOTS, 'console-takeover-agent.png') });

    const assigned = await visitor.waitFor('chat.assigned', (f) => f.agent.id === server.demo!.agentId);
    expect(assigned.conversationId).toBe(conversationId);
    await say(a, '您好，我是主管，我来跟进');
    await visitor.waitFor('message.created', (f) => f.message.text === '您好，我是主管，我来跟进');
    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'super-2b', text: '好的谢谢' });
    await message(a, '好的谢谢').waitFor();
    await a.screenshot({ path: path.join(SHOTS, 'console-takeover-supervisor.png') });
    // B still looks at it, read-only, and cannot write into it any more
    await b.locator(`[data-test=chat-pane][data-conversation="${conversationId}"] [data-test=served-by-other]`, { hasText: '对话现由 Demo Admin 接待' }).waitFor();
    expect(await b.locator(`[data-test=chat-pane][data-conversation="${conversationId}"] [data-test=chat-input]`).count()).toBe(0);
  });

  it('自动分配 offer 拒绝: the declining agent is not offered it again; the other agent gets it', async () => {
    const admin = await login(server.url, server.demo!.companyId, server.demo!.agentId, server.demo!.password);
    expect((await api(server.url, admin, 'PUT', '/api/v1/settings/routing', { autoAssign: true, offerTimeoutMs: 60_000 })).status).toBe(200);
    const visitor = await visitorAsks('visitor-super-0003', '郑先生', '能便宜点吗');
    const offered = (p: Page) => p.locator('[data-test=chat-offer]', { hasText: '郑先生' }).waitFor({ timeout: 15_000 }).then(() => p);
    const first = await Promise.race([offered(a), offered(b)]);
    const other = first === a ? b : a;
    await first.waitForTimeout(400); // the dialog's fade-in
    await first.click('[data-test=offer-decline]');
    await first.locator('[data-test=chat-offer]', { hasText: '郑先生' }).waitFor({ state: 'hidden' });

    await offered(other);
    await other.click('[data-test=offer-accept]');
    const assigned = await visitor.waitFor('chat.assigned', () => true, 10_000);
    expect(assigned.agent.id).toBe(other === a ? server.demo!.agentId : B.id);
    await other.locator('[data-test=chat-pane]', { hasText: '郑先生' }).waitFor();
    expect(await first.locator('[data-test=chat-offer]', { hasText: '郑先生' }).isVisible()).toBe(false);
  });
});
