// Reports in the console against the real server (I3, I10): a small generated
// data set for the demo company goes into the server's own chDB; the console
// (zh-CN browser) opens 流量来源, whose totals row must match a plain-TS count
// of the same rows; clicking a pie segment filters on it (drill-down); the CSV
// export downloads with the same totals.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, insertDataset, type Dataset } from '../../load-tests/analytics-generator.js';
import type { VisitRow } from '../../server/src/domain/tracking/page-view.js';
import { Oracle, groupBy } from '../integration/reports-oracle.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';
import { logIn } from './console-pages.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let data: Dataset;
let oracle: Oracle;

beforeAll(async () => {
  server = await startTestServer();
  // Visits over the last 20 days, all inside 最近三月 whatever today is.
  const now = Date.now();
  data = generateDataset({ companyId: server.demo!.companyId, seed: 31, visitors: 120, start: now - 20 * 86_400_000, end: now - 3_600_000 });
  await insertDataset(server.analytics.client, data);
  oracle = new Oracle(data, { from: now - 30 * 86_400_000, to: now + 86_400_000, tz: 'Asia/Shanghai' });

  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  page = await context.newPage();
  await logIn(page, server.url, server.demo!);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** The totals row (合计) of the detail table, cell texts by column header. */
async function totalsRow(): Promise<Record<string, string>> {
  const table = page.locator('[data-test=report-table]');
  const heads = await table.locator('.el-table__header-wrapper th').allInnerTexts();
  const cells = await table.locator('.el-table__footer-wrapper td').allInnerTexts();
  return Object.fromEntries(heads.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]));
}

/** Source type as the report defines it: engine, else referring site, else campaign, else direct. */
const SOURCE_TYPE_OF = (v: VisitRow) => (v.search_engine ? 'search' : v.referrer_host ? 'site' : v.utm_source ? 'campaign' : 'direct');

const SOURCE_TYPE_ZH: Record<string, string> = { search: '搜索引擎', site: '来源网站', campaign: '推广活动', direct: '直接访问' };

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

describe('reports console', () => {
  it('流量来源 shows the sources of the generated visits with an exact totals row', async () => {
    await page.click('[data-test=nav-reports]');
    await page.locator('.el-tabs__item', { hasText: '流量来源' }).click();
    await page.click('[data-test=preset-last3months]');
    await page.locator('[data-test=report-title]', { hasText: '流量来源 · 全部来源' }).waitFor();
    const visits = oracle.visitsIn();
    const m = oracle.visitMetrics(visits, visits);
    await expect.poll(async () => (await totalsRow())['访问量'], { timeout: 15_000 }).toBe(m.visits.toLocaleString('zh-CN'));
    const tot = await totalsRow();
    expect(tot['合计'] ?? Object.values(tot)[0]).toBe('合计');
    expect(tot['访问比例']).toBe('100.00%');
    expect(tot['对话量']).toBe(m.chats.toLocaleString('zh-CN'));
    expect(tot['平均页面数']).toBe(m.avg_pages.toFixed(2));
    expect(tot['新访客百分比']).toBe(pct(m.new_pct));
    expect(tot['跳出率']).toBe(pct(m.bounce_rate));
    // The per-type rows too: one row per source type, largest first.
    const byType = [...groupBy(visits, SOURCE_TYPE_OF)].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    const rows = await page.locator('[data-test=report-table] .el-table__body-wrapper tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 2).map((c) => c.trim()))).toEqual(byType.map(([k, vs]) => [SOURCE_TYPE_ZH[k], String(vs.length)]));
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SHOTS, 'reports-sources.png'), fullPage: true });
  });

  it('clicking a pie segment filters the report on it', async () => {
    const visits = oracle.visitsIn();
    const [type, group] = [...groupBy(visits, SOURCE_TYPE_OF)].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))[0]!;
    // The largest segment starts at 12 o'clock and runs clockwise: click the middle of its ring.
    const box = (await page.locator('[data-test=report-chart]').boundingBox())!;
    const r = (Math.min(box.width, box.height) / 2) * 0.5;
    const angle = Math.PI * (group.length / visits.length);
    await page.mouse.click(box.x + box.width / 2 + r * Math.sin(angle), box.y + box.height / 2 - r * Math.cos(angle));
    await page.locator('[data-test=filter-tag]', { hasText: `来源类型 = ${SOURCE_TYPE_ZH[type]}` }).waitFor();
    await expect.poll(async () => (await totalsRow())['访问量'], { timeout: 15_000 }).toBe(group.length.toLocaleString('zh-CN'));
    const rows = await page.locator('[data-test=report-table] .el-table__body-wrapper tr').count();
    expect(rows).toBe(1);
    await page.waitForTimeout(1500); // let the pie's redraw animation finish before the screenshot
    await page.screenshot({ path: path.join(SHOTS, 'reports-drill.png'), fullPage: true });
  });

  it('exports the filtered view as CSV (UTF-8 with BOM) through a download', async () => {
    const visits = oracle.visitsIn();
    const [type, group] = [...groupBy(visits, SOURCE_TYPE_OF)].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))[0]!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
    expect(download.suggestedFilename()).toMatch(/^sources-type-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 2)).toEqual(['Source type', 'Visits']);
    expect(lines[1]!.split(',').slice(0, 2)).toEqual([type, String(group.length)]);
    expect(lines.at(-1)!.split(',').slice(0, 3)).toEqual(['Total', String(group.length), '100.00%']);
  });
});
