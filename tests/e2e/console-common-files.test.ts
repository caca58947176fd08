// E6 common files in a real browser against the real server: the admin uploads a
// company file in 常用文件, then sends it into a live chat with one click; the
// visitor gets it as a file message, a copy of their own chat they can download.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVisitor, type VisitorClient } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { consolePage } from './console-pages.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

let server: TestServer;
let browser: Browser;
let page: Page;
let visitor: VisitorClient;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const demo = server.demo!;
  page = await consolePage(browser, server.url, demo.companyId, demo.agentId, demo.password);
});

afterAll(async () => {
  await visitor?.close();
  await browser?.close();
  await server?.dispose();
});

describe('E6 common files', () => {
  it('uploaded once, sent into a chat with one click', async () => {
    await page.getByRole('tab', { name: '常用文件' }).click();
    const panel = page.locator('[data-test=common-files]');
    await panel.locator('[data-test=common-file-input]').setInputFiles({ name: '退货流程.pdf', mimeType: 'application/pdf', buffer: PDF });
    const item = panel.locator('[data-test=common-file]', { hasText: '退货流程.pdf' });
    await item.waitFor();
    // no live chat open: sending is not offered
    expect(await item.locator('[data-test=common-file-send]').isDisabled()).toBe(true);

    visitor = await openVisitor(server.url, server.demo!.publicKey, 'visitor-cfiles-001');
    visitor.send({ type: 'visitor.hello', name: '冯先生' });
    await visitor.waitFor('visitor.ready');
    visitor.send({ type: 'chat.request', text: '怎么退货', clientMsgId: 'cf-1' });
    const conversationId = (await visitor.waitFor('chat.queued')).conversationId;
    await page.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"] [data-test=accept]`).click();
    await visitor.waitFor('chat.assigned');
    await page.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`).click();
    await page.locator(`[data-test=chat-pane][data-conversation="${conversationId}"]`).waitFor();

    await item.locator('[data-test=common-file-send]').click();
    const got = await visitor.waitFor('message.created', (f) => f.message.attachment?.name === '退货流程.pdf', 10_000);
    const file = got.message.attachment!;
    expect(file).toMatchObject({ mime: 'application/pdf', size: PDF.length });
    // the visitor downloads the chat's copy, not the company file
    const key = await panel.locator('[data-test=common-file]').first().getAttribute('data-key');
    expect(file.key).not.toBe(key);
    const res = await fetch(`${server.url}/api/v1/widget/files/${file.key}?key=${server.demo!.publicKey}&vid=visitor-cfiles-001`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    await page.locator('[data-test=chat-pane] [data-test=message]', { hasText: '退货流程.pdf' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-common-files.png') });
  });
});
