// C1 visitor list in Chromium: the agent chooses and orders the columns (stored
// in the agent settings, kept after a reload), sorts by a header click, uses
// the row menu (invite, block chat with an end time, trail), and with 2,000
// visitors on the site the virtualised list keeps only a screenful of rows in
// the DOM while scrolling still reaches the last visitor.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { openVisitor, type VisitorClient } from '../helpers/clients.js';
import { openLiveVisitors, trackView, type LiveVisitors } from '../../load-tests/lib/live-visitors.js';
import { logIn } from './console-pages.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let bulk: LiveVisitors | null = null;
const guests: VisitorClient[] = [];

const headerKeys = () => page.locator('.el-table-v2__header-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
/** visitor ids of the rows in the DOM, top to bottom */
const rowIds = () => page.locator('.el-table-v2__row [data-test^="visitor-"]').evaluateAll((els) =>
  els.map((e) => e.getAttribute('data-test')!).filter((d) => /^visitor-[A-Za-z0-9_-]{8,}$/.test(d)).map((d) => d.slice('visitor-'.length)));

async function openVisitorsView(): Promise<void> {
  await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
  await page.click('[data-test=nav-visitors]');
  await page.locator('[data-test=visitors-table] .el-table-v2__header-cell').first().waitFor();
}

async function guest(vid: string, title: string): Promise<VisitorClient> {
  const g = await openVisitor(server.url, server.demo!.publicKey, vid);
  guests.push(g);
  const url = `https://shop.example/${title.toLowerCase()}`;
  g.send({ type: 'visitor.hello', page: { url, title } });
  await g.waitFor('visitor.ready');
  await trackView(server.url, server.demo!.publicKey, vid, { url, title });
  return g;
}

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 800 } });
  page = await context.newPage();
  await logIn(page, server.url, server.demo!);
  await openVisitorsView();
});

afterAll(async () => {
  bulk?.close();
  await Promise.all(guests.map((g) => g.close()));
  await browser?.close();
  await server?.dispose();
});

describe('visitor list columns, sorting, row menu and 2,000 rows', () => {
  it('配置显示列: hide a column, move another to the front; the choice is stored and survives a reload', async () => {
    await guest('visitor-cols-0001', 'Boots');
    await page.locator('[data-test="visitor-visitor-cols-0001"]').waitFor();
    expect(await headerKeys()).toEqual([
      'status', 'visitorId', 'name', 'channel', 'visits', 'ip', 'region', 'source', 'enteredAt',
      'waiting', 'lastMessage', 'leftAt', 'agent', 'page', 'language', 'client',
    ]);

    await page.click('[data-test=columns-open]');
    await page.locator('[data-test=columns-dialog] [data-test=columns-chooser]').waitFor();
    await page.click('[data-test=columns-dialog] [data-test=column-on-channel]');
    for (let i = 0; i < 6; i++) await page.click('[data-test=columns-dialog] [data-test=column-up-region]');
    await page.click('[data-test=columns-dialog] [data-test=column-down-status]');
    await page.screenshot({ path: path.join(SHOTS, 'visitors-columns.png') });
    await page.click('[data-test=columns-dialog] [data-test=columns-save]');
    await page.locator('.el-message', { hasText: '显示列已保存' }).waitFor();

    const expected = ['region', 'visitorId', 'status', 'name', 'visits', 'ip', 'source', 'enteredAt', 'waiting', 'lastMessage', 'leftAt', 'agent', 'page', 'language', 'client'];
    await expect.poll(headerKeys).toEqual(expected);
    const stored = await page.evaluate(async () => ((await (await fetch('/api/v1/me/settings')).json()) as { settings: { visitorColumns: string[] } }).settings.visitorColumns);
    expect(stored).toEqual(expected);

    await page.reload();
    await openVisitorsView();
    await expect.poll(headerKeys).toEqual(expected);
    await page.locator('[data-test="visitor-visitor-cols-0001"]').waitFor();
  });

  it('sorts by any column header, ascending then descending', async () => {
    await guest('visitor-cols-0003', 'Tents');
    await guest('visitor-cols-0002', 'Jackets');
    await page.locator('[data-test="visitor-visitor-cols-0002"]').waitFor();
    await page.click('.el-table-v2__header-cell[data-key=visitorId]');
    await expect.poll(rowIds).toEqual(['visitor-cols-0001', 'visitor-cols-0002', 'visitor-cols-0003']);
    await page.click('.el-table-v2__header-cell[data-key=visitorId]');
    await expect.poll(rowIds).toEqual(['visitor-cols-0003', 'visitor-cols-0002', 'visitor-cols-0001']);
    // another column starts ascending: by arrival, 0003 came before 0002
    await page.click('.el-table-v2__header-cell[data-key=enteredAt]');
    await expect.poll(rowIds).toEqual(['visitor-cols-0001', 'visitor-cols-0003', 'visitor-cols-0002']);
  });

  it('row menu: 邀请访客 reaches the visitor, 阻止对话 with an end time is stored, 访问轨迹 opens the trail', async () => {
    const g = guests[0]!;
    const row = page.locator('.el-table-v2__row', { has: page.locator('[data-test="visitor-visitor-cols-0001"]') });
    await row.click({ button: 'right' });
    await page.click('[data-test=visitor-menu] [data-test=menu-invite]');
    const shown = await g.waitFor('invite.shown');
    expect(shown.kind).toBe('popup');

    await row.click({ button: 'right' });
    await page.click('[data-test=visitor-menu] [data-test=menu-block-chat]');
    const dialog = page.locator('[data-test=block-dialog]');
    await dialog.waitFor();
    const until = new Date(Date.now() + 3 * 86_400_000);
    const two = (n: number) => String(n).padStart(2, '0');
    const untilInput = dialog.locator('[data-test=block-until] input');
    await untilInput.click();
    await untilInput.fill(`${until.getFullYear()}-${two(until.getMonth() + 1)}-${two(until.getDate())} 18:00:00`);
    await untilInput.press('Enter');
    await expect.poll(() => untilInput.inputValue()).toContain('18:00:00');
    await page.screenshot({ path: path.join(SHOTS, 'visitors-block.png') });
    await dialog.locator('[data-test=block-submit]').click();
    await page.locator('.el-message', { hasText: '已阻止 127.0.0.1' }).waitFor();
    const blocks = await page.evaluate(async () => ((await (await fetch('/api/v1/blocks')).json()) as { items: Array<{ target: string; kind: string; until: number }> }).items);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ target: '127.0.0.1', kind: 'chat' });
    expect(new Date(blocks[0]!.until).getHours()).toBe(18);

    await row.click({ button: 'right' });
    await page.click('[data-test=visitor-menu] [data-test=menu-trail]');
    await expect.poll(() => page.locator('[data-test=visitor-trail] li').count()).toBe(1);
    expect(await page.locator('[data-test=visitor-trail]').textContent()).toContain('Boots');
  });

  it('2,000 live visitors: a screenful of rows in the DOM, and scrolling reaches the last one', async () => {
    bulk = await openLiveVisitors(server.url, server.demo!.publicKey, 2000, 'zz-bulk');
    await expect.poll(() => page.locator('[data-test=visitors-count]').textContent(), { timeout: 60_000 }).toBe('当前在线 2003 人');
    // sorted by visitor id ascending: zz-bulk-1999 is the last row
    await page.click('.el-table-v2__header-cell[data-key=visitorId]');
    await expect.poll(async () => (await rowIds())[0]).toBe('visitor-cols-0001');
    const rows = await page.locator('.el-table-v2__row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(100);

    const last = page.locator('[data-test="visitor-zz-bulk-1999"]');
    expect(await last.count()).toBe(0);
    await page.locator('[data-test=visitors-table] .el-table-v2__body').hover();
    for (let i = 0; i < 200 && !(await last.isVisible()); i++) await page.mouse.wheel(0, 4000);
    await last.waitFor({ state: 'visible' });
    expect(await page.locator('.el-table-v2__row').count()).toBeLessThan(100);
    await page.screenshot({ path: path.join(SHOTS, 'visitors-2000.png') });
  });
});
