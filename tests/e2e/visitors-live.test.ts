// C1/C2 in real browsers: a visitor comes to /demo from a Baidu search, behind
// our (trusted) proxy with a Shenzhen address; the console's visitor list shows
// them with region, engine, keyword and the current page; they navigate and the
// page changes; they close the tab and the row stays greyed as 已离开 with the
// time they left (the 离开 column).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

const BAIDU = 'https://www.baidu.com/s?wd=%E7%99%BB%E5%B1%B1%E9%9E%8B&ie=utf-8';

let server: TestServer;
let browser: Browser;
let consolePage: Page;

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 760 } });
  consolePage = await context.newPage();
  const demo = server.demo!;
  await consolePage.goto(`${server.url}/login`);
  await consolePage.fill('[data-test=company-id]', demo.companyId);
  await consolePage.fill('[data-test=agent-id]', demo.agentId);
  await consolePage.fill('[data-test=password]', demo.password);
  await consolePage.click('[data-test=login-submit]');
  await consolePage.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
  await consolePage.click('[data-test=nav-visitors]');
  await consolePage.locator('[data-test=visitors-table] .el-table-v2__header-cell').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('live visitor list in the console', () => {
  it('shows an arrival from Baidu with region and keyword, follows a page change, drops the visitor who leaves', async () => {
    // The visitor's browser: requests reach us through the trusted proxy with a Shenzhen address.
    const visitorContext = await browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'x-forwarded-for': '58.60.1.1' } });
    const visitor = await visitorContext.newPage();
    // A stand-in results page on baidu.com whose link leads to the demo site with the full search URL as referrer.
    await visitor.route(BAIDU, (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><meta name="referrer" content="unsafe-url"><a id="hit" href="${server.url}/demo">Northwind</a>`,
    }));
    await visitor.goto(BAIDU);
    await visitor.click('#hit');
    await visitor.waitForURL(`${server.url}/demo`);
    // A string: the root tsconfig has no DOM types, this runs in the browser.
    const vid = await visitor.evaluate<string | null>("localStorage.getItem('sb_vid')");
    expect(vid).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    const row = consolePage.locator('.el-table-v2__row', { has: consolePage.locator(`[data-test="visitor-${vid}"]`) });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.locator('[data-test=visitor-region]').textContent()).toBe('中国 广东 深圳');
    expect(await row.locator('[data-test=visitor-source]').textContent()).toBe('baidu · 登山鞋');
    expect(await row.locator('[data-test=visitor-page]').textContent()).toContain('Northwind Outfitters');
    expect(await row.textContent()).toContain('58.60.1.1');

    await visitor.goto(`${server.url}/demo?from=nav`);
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('/demo?from=nav');
    // The visit's source stays that of its landing page.
    expect(await row.locator('[data-test=visitor-source]').textContent()).toBe('baidu · 登山鞋');

    await row.click();
    const trail = consolePage.locator('[data-test=visitor-trail] li');
    await expect.poll(() => trail.count()).toBe(2);
    expect(await trail.nth(0).textContent()).toContain('www.baidu.com');
    expect(await trail.nth(1).textContent()).toContain('/demo?from=nav');
    await consolePage.screenshot({ path: path.join(SHOTS, 'visitors.png') });

    await visitor.close();
    await expect.poll(() => row.locator('[data-test=visitor-status]').textContent(), { timeout: 30_000 }).toBe('已离开');
    expect(await row.locator('[data-test=visitor-left-at]').textContent()).toMatch(/^\d\d:\d\d$/);
    expect(await consolePage.locator('[data-test=visitors-count]').textContent()).toBe('当前在线 0 人');
    await visitorContext.close();
  });
});
