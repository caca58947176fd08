// Routing controls in two real browsers against the real server: agent A
// (the demo admin) takes a chat and 传送对话 to B; B answers 响应传送 with
// 查看已有对话记录 and sees the earlier messages; then A 监控客服 B, watches
// the chat live and whispers: B sees the whisper, the visitor never does.
// (Rejecting, declining and taking over: console-supervision.test.ts.)
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVisitor, type VisitorClient } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { SHOTS } from '../helpers/browser.js';
import { BOB, twoConsoles } from './console-pages.js';

const B = BOB;

let server: TestServer;
let browser: Browser;
let a: Page;
let b: Page;
let visitor: VisitorClient;

beforeAll(async () => {
  ({ server, browser, a, b } = await twoConsoles());
});

afterAll(async () => {
  await visitor?.close();
  await browser?.close();
  await server?.dispose();
});

const bubbles = (page: Page) => page.locator('[data-test=chat-pane] [data-test=message] .bubble').allTextContents();

describe('console routing: transfer and monitoring', () => {
  let conversationId: string;

  it('A accepts a chat and transfers it to B, who accepts with the earlier history', async () => {
    visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-routing-0001');
    visitor.send({ type: 'visitor.hello', name: '王五' });
    await visitor.waitFor('visitor.ready');
    visitor.send({ type: 'chat.request', text: '我想改一下收货地址', clientMsgId: 'vr-1' });
    conversationId = (await visitor.waitFor('chat.queued')).conversationId;

    await a.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"] [data-test=accept]`).click();
    await visitor.waitFor('chat.assigned');
    await a.locator('[data-test=chat-pane]', { hasText: '王五' }).waitFor();
    await a.fill('[data-test=chat-input]', '好的，我帮您转给物流同事');
    await a.press('[data-test=chat-input]', 'Enter');
    await visitor.waitFor('message.created', (f) => f.message.text === '好的，我帮您转给物流同事');

    await a.click('[data-test=transfer-open]');
    const dialog = a.locator('[data-test=transfer-dialog]');
    await dialog.locator(`[data-test=transfer-agent-${B.id}]`).click();
    await a.screenshot({ path: path.join(SHOTS, 'console-routing-transfer.png') });
    await dialog.locator('[data-test=transfer-submit]').click();

    const offer = b.locator('[data-test=transfer-offer]');
    await offer.locator('text=王五').waitFor();
    expect(await b.textContent('[data-test=counter-transfers]')).toContain('1');
    expect(await offer.locator('[data-test=transfer-history] input').isChecked()).toBe(true);
    await b.screenshot({ path: path.join(SHOTS, 'console-routing-offer.png') });
    // A's result toast lasts 3 s: watch for it from the moment B accepts
    const toldA = a.locator('.el-message', { hasText: 'Bob 已接受传送' }).waitFor();
    await offer.locator('[data-test=transfer-accept]').click();

    await b.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).waitFor();
    await b.locator('[data-test=chat-pane]', { hasText: '王五' }).waitFor();
    await b.locator('[data-test=chat-pane] [data-test=message]', { hasText: '好的，我帮您转给物流同事' }).waitFor();
    expect(await bubbles(b)).toEqual(['我想改一下收货地址', '好的，我帮您转给物流同事']);
    await toldA;
    await a.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).waitFor({ state: 'detached' });
    await b.screenshot({ path: path.join(SHOTS, 'console-routing-accepted.png') });
  });

  it('A monitors B: the chat shows live, a whisper reaches B and never the visitor', async () => {
    await a.click('[data-test=monitor-open]');
    await a.click(`[data-test=monitor-start-${B.id}]`);
    const item = a.locator(`[data-test=monitored-chats] [data-conversation="${conversationId}"]`);
    await item.waitFor();
    await item.click();
    await a.locator('[data-test=monitor-banner]').waitFor();
    await a.locator('[data-test=chat-pane] [data-test=message]', { hasText: '好的，我帮您转给物流同事' }).waitFor();

    // both sides as it happens
    visitor.send({ type: 'message.send', conversationId, clientMsgId: 'vr-2', text: '新地址是人民路 88 号' });
    await a.locator('[data-test=chat-pane] [data-test=message]', { hasText: '新地址是人民路 88 号' }).waitFor();
    await b.fill('[data-test=chat-input]', '收到，已为您修改');
    await b.press('[data-test=chat-input]', 'Enter');
    await a.locator('[data-test=chat-pane] [data-test=message]', { hasText: '收到，已为您修改' }).waitFor();

    await a.fill('[data-test=whisper-input]', '记得确认邮编');
    await a.click('[data-test=whisper-send]');
    await b.locator('[data-test=whispers] [data-test=whisper]', { hasText: '记得确认邮编' }).waitFor();
    await a.locator('[data-test=whispers] [data-test=whisper]', { hasText: '记得确认邮编' }).waitFor();
    await a.click('body', { position: { x: 700, y: 500 } });
    await a.screenshot({ path: path.join(SHOTS, 'console-routing-monitor.png') });
    await b.screenshot({ path: path.join(SHOTS, 'console-routing-whisper.png') });

    await new Promise((r) => setTimeout(r, 500));
    expect(visitor.frames.some((f) => JSON.stringify(f).includes('记得确认邮编'))).toBe(false);
  });

  it('邀请访客: an invitation from the visitor list reaches the visitor', async () => {
    const guest = await openVisitor(server.url, server.demo!.publicKey, 'visitor-routing-0002');
    guest.send({ type: 'visitor.hello', page: { url: 'https://shop.example/boots', title: 'Boots' } });
    await guest.waitFor('visitor.ready');
    // the page view that puts the visitor on the live list
    const beacon = await fetch(`${server.url}/api/v1/widget/track?key=${server.demo!.publicKey}`, {
      method: 'POST', body: JSON.stringify({ vid: 'visitor-routing-0002', url: 'https://shop.example/boots', title: 'Boots' }),
    });
    expect(beacon.status).toBe(200);
    try {
      await a.click('[data-test=nav-visitors]');
      await a.locator('[data-test="visitor-visitor-routing-0002"]').click();
      await a.fill('[data-test=invite-greeting]', '需要帮您挑选尺码吗？');
      await a.click('[data-test=invite-popup]');
      const shown = await guest.waitFor('invite.shown');
      expect([shown.kind, shown.greeting]).toEqual(['popup', '需要帮您挑选尺码吗？']);
      await a.screenshot({ path: path.join(SHOTS, 'console-routing-invite.png') });
    } finally {
      await guest.close();
    }
  });

  it('自动分配 settings: an admin switches to 销售型 and it is stored', async () => {
    await a.click('[data-test=nav-routing]');
    await a.locator('[data-test=routing-settings]').waitFor();
    await a.click('[data-test=auto-assign]');
    await a.click('[data-test=mode-sales]');
    await a.click('[data-test=routing-save]');
    await a.locator('.el-message', { hasText: '已保存' }).waitFor();
    await a.screenshot({ path: path.join(SHOTS, 'console-routing-settings.png') });
    const saved = await a.evaluate(async () => (await fetch('/api/v1/settings/routing')).json());
    expect(saved).toMatchObject({ autoAssign: true, mode: 'sales' });
  });

  it('with 自动分配 on, an offer (no auto-accept) is shown with a countdown and accepted', async () => {
    const guest = await openVisitor(server.url, server.demo!.publicKey, 'visitor-routing-0003');
    try {
      guest.send({ type: 'visitor.hello', name: '赵六' });
      await guest.waitFor('visitor.ready');
      guest.send({ type: 'chat.request', text: '有优惠券吗', clientMsgId: 'vr3-1' });
      const offered = (p: Page) => p.locator('[data-test=chat-offer]', { hasText: '赵六' }).waitFor({ timeout: 15_000 }).then(() => p);
      const who = await Promise.race([offered(a), offered(b)]);
      expect(await who.textContent('[data-test=chat-offer]')).toMatch(/剩余 \d+ 秒/);
      await who.waitForTimeout(400); // the dialog's fade-in
      await who.screenshot({ path: path.join(SHOTS, 'console-routing-chat-offer.png') });
      await who.click('[data-test=offer-accept]');
      await guest.waitFor('chat.assigned', () => true, 10_000);
      await who.locator('[data-test=chat-pane]', { hasText: '赵六' }).waitFor();
    } finally {
      await guest.close();
    }
  });
});
