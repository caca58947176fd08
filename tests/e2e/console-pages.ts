// A logged-in console in its own browser context (zh-CN, desktop size), ready once
// the connection indicator says 连接良好, and a second agent to log in as;
// shared by the console-* e2e tests.
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../server/src/domain/passwords.js';
import type { Permission } from '../../server/src/ports/account-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser } from '../helpers/browser.js';

/** Logs the page in through the login form and waits for the live socket. */
export async function logIn(page: Page, baseUrl: string, who: { companyId: string; agentId: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('[data-test=company-id]', who.companyId);
  await page.fill('[data-test=agent-id]', who.agentId);
  await page.fill('[data-test=password]', who.password);
  await page.click('[data-test=login-submit]');
  await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
}

export async function consolePage(browser: Browser, baseUrl: string, companyId: string, agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  const page = await context.newPage();
  await logIn(page, baseUrl, { companyId, agentId, password });
  return page;
}

/** A second agent in the demo company (the demo admin is the first). */
export async function addAgent(server: TestServer, agent: { id: string; name: string; password: string }, permissions: Permission[]): Promise<void> {
  await server.stores.accounts.createAgent(server.demo!.companyId, {
    id: agent.id, name: agent.name, passwordHash: await hashPassword(agent.password), permissions,
  });
}

/** Agent Bob, who takes transfers in the two-console tests. */
export const BOB = { id: 'bob', name: 'Bob', password: 'bob-password-1' };

/** A fresh server with two consoles open: A the demo admin, B Bob (accept_chats, transfer). */
export async function twoConsoles(): Promise<{ server: TestServer; browser: Browser; a: Page; b: Page }> {
  const server = await startTestServer();
  const demo = server.demo!;
  await addAgent(server, BOB, ['accept_chats', 'transfer']);
  const browser = await launchBrowser();
  const a = await consolePage(browser, server.url, demo.companyId, demo.agentId, demo.password);
  const b = await consolePage(browser, server.url, demo.companyId, BOB.id, BOB.password);
  return { server, browser, a, b };
}
