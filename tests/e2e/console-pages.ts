// A logged-in console in its own browser context (zh-CN, desktop size), ready once
// the connection indicator says 连接良好, and a second agent to log in as;
// shared by the console-* e2e tests.
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../server/src/domain/passwords.js';
import type { Permission } from '../../server/src/ports/account-store.js';
import type { TestServer } from '../helpers/server.js';

export async function consolePage(browser: Browser, baseUrl: string, companyId: string, agentId: string, password: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.fill('[data-test=company-id]', companyId);
  await page.fill('[data-test=agent-id]', agentId);
  await page.fill('[data-test=password]', password);
  await page.click('[data-test=login-submit]');
  await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
  return page;
}

/** A second agent in the demo company (the demo admin is the first). */
export async function addAgent(server: TestServer, agent: { id: string; name: string; password: string }, permissions: Permission[]): Promise<void> {
  await server.stores.accounts.createAgent(server.demo!.companyId, {
    id: agent.id, name: agent.name, passwordHash: await hashPassword(agent.password), permissions,
  });
}
