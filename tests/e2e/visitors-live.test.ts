// C1/C2 in real browsers: a visitor comes to /demo from a Baidu search, behind
// our (trusted) proxy with a Shenzhen address; the console's visitor list shows
// them with region, engine, keyword and the current page; they navigate and the
// page changes; they close the tab and the row goes away.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { buildWidget } from '../../widget/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A test run leaves git clean; UPDATE_SCREENSHOTS=1 refreshes the docs.
const SHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.tmp/screenshots');
const BAIDU = 'https://www.baidu.com/s?wd=%E7%99%BB%E5%B1%B1%E9%9E%8B&ie=utf-8';

function ensureConsoleBuilt(): void {
  const built = path.join(ROOT, 'admin/dist/index.html');
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest(path.join(ROOT, 'admin/src'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

let server: TestServer;
let browser: Browser;
let consolePage: Page;

beforeAll(async () => {
  ensureConsoleBuilt();
  await buildWidget();
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
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
  await consolePage.locator('[data-test=visitors-table]').waitFor();
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

    const row = consolePage.locator('.el-table__row', { has: consolePage.locator(`[data-test="visitor-${vid}"]`) });
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
    fs.mkdirSync(SHOTS, { recursive: true });
    await consolePage.screenshot({ path: path.join(SHOTS, 'visitors.png') });

    await visitor.close();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await visitorContext.close();
  });
});
