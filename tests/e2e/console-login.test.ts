// The agent console in a real browser against the real server (A1, B1, B5):
// a wrong password is explained, a right one opens the console with a live
// socket, the status switch round-trips through the server, logout ends the
// session. Screenshots of each step go to .tmp/screenshots/, or to
// docs/screenshots/ with UPDATE_SCREENSHOTS=1 (so a test run leaves git clean).
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function fillLogin(password: string): Promise<void> {
  const demo = server.demo!;
  await page.fill('[data-test=company-id]', demo.companyId);
  await page.fill('[data-test=agent-id]', demo.agentId);
  await page.fill('[data-test=password]', password);
  await page.click('[data-test=login-submit]');
}

const statusText = () => page.textContent('[data-test=status-switch] button');

describe('console login', () => {
  it('A1: a wrong password is refused with a clear message and no session', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await fillLogin('not-the-password');
    const error = page.locator('[data-test=login-error]');
    await error.waitFor();
    expect(await error.textContent()).toContain('公司 ID、客服 ID 或密码错误');
    expect(page.url()).toMatch(/\/login/);
    await page.screenshot({ path: path.join(SHOTS, 'login-error.png') });
  });

  it('A1 B5: the right password opens the console with a live socket', async () => {
    await fillLogin(server.demo!.password);
    await page.waitForURL(`${server.url}/`);
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
    expect(await page.textContent('[data-test=agent-name]')).toContain(server.demo!.agentId);
    expect(await page.isVisible('[data-test=waiting-list]')).toBe(true);
    expect(await page.isVisible('[data-test=my-chats]')).toBe(true);
    expect(await page.textContent('[data-test=counter-waiting]')).toContain('等待接入');
    await page.screenshot({ path: path.join(SHOTS, 'console-empty.png') });
  });

  it('B1: the status switch goes through the server and survives a reload', async () => {
    expect(await statusText()).toContain('在线');
    await page.click('[data-test=status-switch] button');
    await page.click('[data-test=status-busy]');
    await page.locator('[data-test=status-switch] button', { hasText: '忙碌' }).waitFor();
    expect(server.chat.presence.status(server.demo!.companyId, server.demo!.agentId)).toBe('busy');
    await page.screenshot({ path: path.join(SHOTS, 'console-busy.png') });

    // The session cookie restores the console; the server keeps the status.
    await page.reload();
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
    expect(await statusText()).toContain('忙碌');

    await page.click('[data-test=status-switch] button');
    await page.click('[data-test=status-online]');
    await page.locator('[data-test=status-switch] button', { hasText: '在线' }).waitFor();
  });

  it('A1: logout ends the session, and the console is no longer reachable', async () => {
    const cookies = await context.cookies(server.url);
    const session = cookies.find((c) => c.name === 'sb_session');
    expect(session?.httpOnly).toBe(true);

    await page.click('[data-test=logout]');
    await page.waitForURL(/\/login/);
    const me = await api(server.url, { cookie: `sb_session=${session!.value}`, csrfToken: '', body: null }, 'GET', '/api/v1/auth/me');
    expect(me.status).toBe(401);

    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
  });
});
