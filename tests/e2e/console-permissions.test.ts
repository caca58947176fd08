// Issue 5 "Bad input" in the browser: a permission an admin revokes (A5) takes
// effect in the agent's open console at once: Bob's 传送对话 button goes away and
// the server refuses the transfer; disabling Bob logs his console out (socket closed
// 4003, told why) and his chat is back in the waiting list for A without any grace.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, openVisitor, type Login, type VisitorClient } from '../helpers/clients.js';
import type { TestServer } from '../helpers/server.js';
import { SHOTS } from '../helpers/browser.js';
import { BOB, twoConsoles } from './console-pages.js';

let server: TestServer;
let browser: Browser;
let a: Page;
let b: Page;
let admin: Login;
let visitor: VisitorClient;
let conversationId: string;

beforeAll(async () => {
  ({ server, browser, a, b } = await twoConsoles());
  admin = await login(server.url, server.demo!.companyId, server.demo!.agentId, server.demo!.password);
  visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-perm-e2e-01');
  visitor.send({ type: 'visitor.hello', name: '钱先生' });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text: '帮我查下订单', clientMsgId: 'pe-1' });
  conversationId = (await visitor.waitFor('chat.queued')).conversationId;
  await b.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"] [data-test=accept]`).click();
  await visitor.waitFor('chat.assigned');
  await b.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).click();
  await b.locator('[data-test=transfer-open]').waitFor();
});

afterAll(async () => {
  await visitor?.close();
  await browser?.close();
  await server?.dispose();
});

describe('a revoked permission in the open console', () => {
  it('transfer revoked: the button goes at once and Bob is told', async () => {
    expect((await api(server.url, admin, 'PATCH', `/api/v1/agents/${BOB.id}`, { permissions: ['accept_chats'] })).status).toBe(200);
    await b.locator('.el-message', { hasText: '管理员修改了您的权限' }).waitFor();
    await b.locator('[data-test=transfer-open]').waitFor({ state: 'detached' });
    // The server refuses it on this very socket too (the console's own, reached through its store).
    await b.evaluate(({ conversationId }) => {
      type Pinia = { _s: Map<string, { send(f: object): boolean }> };
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const app = (doc.querySelector('#app') as { __vue_app__: { config: { globalProperties: { $pinia: Pinia } } } }).__vue_app__;
      app.config.globalProperties.$pinia._s.get('socket')!.send({ type: 'transfer.request', conversationId, toAgentId: 'admin', ref: 'revoked-1' });
    }, { conversationId });
    await b.locator('.el-message', { hasText: '没有权限' }).waitFor();
  });

  it('disabled: Bob\'s console logs out and his chat waits for A at once', async () => {
    expect((await api(server.url, admin, 'PATCH', `/api/v1/agents/${BOB.id}`, { disabled: true })).status).toBe(200);
    await b.waitForURL(/\/login/);
    await b.locator('.el-message', { hasText: '您的账号已被管理员禁用' }).waitFor();
    await b.waitForTimeout(400); // the toast's fade-in
    await b.screenshot({ path: path.join(SHOTS, 'console-agent-disabled.png') });
    await a.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"]`).waitFor();
    await visitor.waitFor('chat.queued', () => visitor.all('chat.queued').length >= 2);
  });
});
