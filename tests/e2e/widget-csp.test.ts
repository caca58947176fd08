// J1 on a hostile-to-scripts host page: a strict CSP, no inline script or style
// allowed. The loader must add one global, never throw, render its icon with
// CSSOM styles only, and say "offline" (leave a message, G2) when our server
// cannot be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildWidget } from '../../widget/build.mjs';
import { hostSite, launchBrowser, widgetOnlyOrigin, type Site } from './widget-browser.js';

let browser: Browser;
let widget: Site;
let host: Site;
const posts: Array<{ url: string; body: string }> = [];

beforeAll(async () => {
  await buildWidget();
  widget = await widgetOnlyOrigin((url, body) => posts.push({ url, body }));
  host = await hostSite(widget.url, (p) => `data-key="democompany01" data-lang="en"${p === '/text' ? ' data-icon="text"' : ''}`);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await widget?.close();
});

async function openHost(pathname: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (/Refused to|Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`); });
  // Init scripts run outside the page's CSP: record the globals before our loader and any violation.
  // (A string, because the root tsconfig has no DOM types: this runs in the browser.)
  await page.addInitScript({
    content: `window.__sbBefore = Object.getOwnPropertyNames(window); window.__sbViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__sbViolations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  });
  await page.goto(`${host.url}${pathname}`);
  return { page, problems, context };
}

/** The page's window as these tests see it (no DOM lib in the root tsconfig). */
interface HostWindow {
  __sbBefore: string[];
  __sbViolations: string[];
  Switchboard?: { open(): void; close(): void; state: string | null };
  localStorage: { getItem(k: string): string | null };
}

const newGlobals = (page: Page) => page.evaluate(() => {
  const w = globalThis as unknown as HostWindow;
  const before = new Set(w.__sbBefore);
  // Numeric names are the frame indices every iframe adds (window[0]), not globals.
  return Object.getOwnPropertyNames(w).filter((k) => !before.has(k) && !k.startsWith('__sb') && !/^\d+$/.test(k));
});

describe('widget under a strict CSP', () => {
  it('J1 adds exactly one global, shows the floating icon, and turns offline when the socket is unavailable', async () => {
    const { page, problems, context } = await openHost('/');
    const icon = page.locator('[data-sb="icon"]');
    await icon.waitFor({ state: 'visible' });
    expect(await newGlobals(page)).toEqual(['Switchboard']);
    expect(await page.evaluate(() => typeof (globalThis as unknown as HostWindow).Switchboard?.open)).toBe('function');

    // No WebSocket endpoint on the widget origin: the window reports offline itself,
    // well before the loader's own 10 s fallback.
    const t0 = Date.now();
    await page.waitForFunction(() => (globalThis as unknown as HostWindow).Switchboard?.state === 'offline', undefined, { timeout: 15_000 });
    expect(Date.now() - t0).toBeLessThan(8000);
    await expect.poll(() => icon.getAttribute('aria-label')).toBe('Leave a message');
    const box = (await icon.boundingBox())!;
    expect(box.x + box.width).toBeGreaterThan(1280 - 100);
    expect(box.y + box.height).toBeGreaterThan(800 - 100);

    // Opening shows the leave-a-message form; the 404 from a server without it is explained.
    await icon.click();
    const frameEl = page.locator('iframe[data-sb="window"]');
    await frameEl.waitFor({ state: 'visible' });
    const fb = (await frameEl.boundingBox())!;
    expect(Math.round(fb.width)).toBe(370);
    const frame = page.frameLocator('iframe[data-sb="window"]');
    await frame.locator('.sb-form').waitFor({ state: 'visible' });
    await frame.locator('input[name=email]').fill('li@example.cn');
    await frame.locator('textarea[name=content]').fill('<b>please call</b> 请回电');
    await frame.locator('.sb-form button[type=submit]').click();
    await expect.poll(() => frame.locator('.sb-form-status').textContent()).toBe('Leaving a message is not available at the moment.');
    expect(posts.at(-1)!.url).toBe('/api/v1/widget/offline-messages');
    expect(JSON.parse(posts.at(-1)!.body)).toMatchObject({ reason: 'offline', fields: { email: 'li@example.cn', content: '<b>please call</b> 请回电' } });

    // The public API closes it again.
    await page.evaluate(() => (globalThis as unknown as HostWindow).Switchboard!.close());
    await frameEl.waitFor({ state: 'hidden' });

    expect(problems).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as HostWindow).__sbViolations)).toEqual([]);
    // The visitor id is first-party, in the host page's storage.
    expect(await page.evaluate(() => (globalThis as unknown as HostWindow).localStorage.getItem('sb_vid'))).toMatch(/^v[a-z0-9]{32}$/);
    await context.close();
  });

  it('J1 a text icon sits where the snippet is; on a phone the window fills the screen', async () => {
    const { page, problems, context } = await openHost('/text', { width: 390, height: 760 });
    const link = page.locator('a[data-sb="icon"]');
    await link.waitFor({ state: 'visible' });
    expect(await link.evaluate((el) => (el as unknown as { previousElementSibling: { tagName: string } | null }).previousElementSibling?.tagName)).toBe('SCRIPT');
    await link.click();
    const frameEl = page.locator('iframe[data-sb="window"]');
    await frameEl.waitFor({ state: 'visible' });
    const fb = (await frameEl.boundingBox())!;
    expect([fb.x, fb.y, fb.width, fb.height]).toEqual([0, 0, 390, 760]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('J1 the loader ignores a forged open message from the host page itself', async () => {
    const { page, context } = await openHost('/');
    await page.locator('[data-sb="icon"]').waitFor({ state: 'visible' });
    // A forged "open" from the host page itself (wrong origin and source) changes nothing.
    await page.evaluate(() => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage({ sb: 1, type: 'open' }, '*'));
    await page.waitForTimeout(300);
    expect(await page.locator('iframe[data-sb="window"]').isVisible()).toBe(false);
    await context.close();
  });
});
