// Issue "Platform foundation", item 7 in real browsers: a visitor on /demo and an
// agent in the console, with the server process restarted in the middle. Both
// sides reconnect on their own and carry on; the ended chat keeps its history.
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

let server: ServerProcess;
let browser: Browser;
let agent: Page;
let visitor: Page;

beforeAll(async () => {
  server = await spawnServer();
  browser = await launchBrowser();
  agent = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 860 } })).newPage();
  visitor = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const frame = () => visitor.frameLocator('iframe[data-sb="window"]');
const icon = () => visitor.locator('[data-sb="icon"]');

async function visitorSays(text: string): Promise<void> {
  await frame().locator('textarea.sb-text').fill(text);
  await frame().locator('.sb-send').click();
  // acked = no longer pending
  await frame().locator('.sb-msg--visitor:not(.sb-msg--pending) .sb-bubble', { hasText: text }).waitFor({ timeout: 15_000 });
}

async function agentSays(text: string): Promise<void> {
  await agent.fill('[data-test=chat-input]', text);
  await agent.press('[data-test=chat-input]', 'Enter');
  await agent.locator('[data-test=message]', { hasText: text }).waitFor();
  await agent.locator('[data-test=pending-message]').waitFor({ state: 'detached', timeout: 15_000 });
}

describe('first chat in two browsers', () => {
  it('visitor on /demo reaches the agent, both survive a server restart, and the ended chat keeps its history', async () => {
    await visitor.goto(`${server.url}/demo`);
    await expect.poll(() => icon().getAttribute('aria-label'), { timeout: 15_000 }).toBe('Leave a message');

    await agent.goto(`${server.url}/login`);
    await agent.fill('[data-test=company-id]', server.demo.companyId);
    await agent.fill('[data-test=agent-id]', server.demo.agentId);
    await agent.fill('[data-test=password]', server.demo.password);
    await agent.click('[data-test=login-submit]');
    await agent.locator('[data-test=connection]').waitFor();
    // The widget turns online while an agent is online.
    await expect.poll(() => icon().getAttribute('aria-label'), { timeout: 15_000 }).toBe('Chat with us');

    await icon().click();
    await visitorSays('Hello, where is my parcel?');
    await agent.locator('[data-test=waiting-list]', { hasText: 'Hello, where is my parcel?' }).waitFor();
    await agent.click('[data-test=accept]');
    await agentSays('Let me check that for you.');
    await frame().locator('.sb-msg--agent .sb-bubble', { hasText: 'Let me check that for you.' }).waitFor();

    await server.restart('SIGTERM');

    // Both reconnect on their own; messages keep flowing in order.
    await visitorSays('Are you still there?');
    await agent.locator('[data-test=message]', { hasText: 'Are you still there?' }).waitFor({ timeout: 20_000 });
    await agentSays('Yes, it ships tomorrow.');
    await frame().locator('.sb-msg--agent .sb-bubble', { hasText: 'Yes, it ships tomorrow.' }).waitFor();
    const texts = await agent.locator('[data-test=message]').allTextContents();
    const order = ['Hello, where is my parcel?', 'Let me check that for you.', 'Are you still there?', 'Yes, it ships tomorrow.'];
    expect(order.map((t) => texts.findIndex((x) => x.includes(t)))).toEqual([0, 1, 2, 3]);
    await agent.screenshot({ path: path.join(SHOTS, 'first-chat-agent.png') });
    await visitor.screenshot({ path: path.join(SHOTS, 'first-chat-visitor.png') });

    await agent.click('[data-test=end-chat]');
    const confirm = agent.locator('.el-message-box__btns .el-button--primary');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await frame().locator('.sb-ended').waitFor({ timeout: 15_000 });
    await agent.locator('[data-test=ended-chats]', { hasText: 'Guest' }).or(agent.locator('[data-test=ended-chats] >> text=/Visitor|访客|Guest/')).first().waitFor({ timeout: 15_000 });

    // After another restart the ended chat and its whole history are still there.
    await server.restart('SIGTERM');
    // With the console's own cookie, as the history view would ask.
    const request = agent.context().request;
    const list = await (await request.get(`${server.url}/api/v1/conversations?state=ended`)).json();
    const msgs = await (await request.get(`${server.url}/api/v1/conversations/${list.items[0].id}/messages`)).json();
    const res = msgs.items.map((m: { text: string }) => m.text);
    expect(res).toEqual(order);
  });
});
