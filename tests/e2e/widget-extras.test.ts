// Chat extras in real browsers on /demo with the console beside it: pre-chat
// form routing to a group (J5), member identity from the host page (L1), files
// both ways with thumbnails, lightbox and decline (E2), the pushed info form (E7)
// and survey (E8), and rating at any time on a phone (J3).
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidget } from '../../widget/build.mjs';
import { signMemberToken } from '../../server/src/domain/tracking/member-identity.js';
import { api, login, type Login } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, SHOTS } from '../helpers/browser.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TMP = path.join(ROOT, '.tmp/widget-extras');

let server: TestServer;
let browser: Browser;
let consolePage: Page;
let session: Login;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildWidget();
  server = await startTestServer();
  const demo = server.demo!;
  // A "sales" group the admin serves, so a chat routed there shows in its waiting list.
  const sql = postgres(server.db.ownerUrl, { max: 1, onnotice: () => {} });
  await sql`insert into groups (company_id, id, name) values (${demo.companyId}, 'sales', 'Sales')`;
  await sql`insert into group_members (company_id, group_id, agent_id) values (${demo.companyId}, 'sales', ${demo.agentId})`;
  await sql.end();
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  const put = await api(server.url, session, 'PUT', '/api/v1/settings/chat-forms', {
    prechat: {
      enabled: true, welcome: '请先告诉我们您的问题类型',
      fields: [{ id: 'name', label: '姓名', required: true }, { id: 'phone', label: '电话', required: false }],
      questions: [{ id: 'buy', label: '购买咨询', groupId: 'sales' }, { id: 'other', label: '其他问题', groupId: null }],
    },
    infoForm: { fields: [{ id: 'name', label: '姓名', required: true }, { id: 'phone', label: '电话', required: false }, { id: 'email', label: '邮箱', required: false }] },
  });
  expect(put.status).toBe(200);

  fs.mkdirSync(TMP, { recursive: true });
  fs.writeFileSync(path.join(TMP, 'receipt.png'), await sharp({ create: { width: 900, height: 600, channels: 3, background: '#2b6cb0' } }).png().toBuffer());
  fs.writeFileSync(path.join(TMP, 'photo.png'), await sharp({ create: { width: 600, height: 400, channels: 3, background: '#dd6b20' } }).png().toBuffer());
  fs.writeFileSync(path.join(TMP, '价目表.txt'), '价目表 2026\nA 款 ¥199\n');

  browser = await launchBrowser();
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 860 } });
  contexts.push(ctx);
  consolePage = await ctx.newPage();
  await consolePage.goto(`${server.url}/login`);
  await consolePage.fill('[data-test=company-id]', demo.companyId);
  await consolePage.fill('[data-test=agent-id]', demo.agentId);
  await consolePage.fill('[data-test=password]', demo.password);
  await consolePage.click('[data-test=login-submit]');
  await consolePage.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 15_000 });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.dispose();
});

async function visitorPage(viewport: { width: number; height: number }, memberToken?: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}) });
  contexts.push(ctx);
  // The host page sets its settings before the snippet runs (docs/member-integration.md).
  if (memberToken) await ctx.addInitScript((t) => { (globalThis as unknown as { switchboardSettings: unknown }).switchboardSettings = { memberToken: t }; }, memberToken);
  // Headless Chromium cannot capture a real screen: the screen picker hands back a canvas stream instead.
  await ctx.addInitScript({ content: FAKE_DISPLAY_MEDIA });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/demo`);
  await page.waitForFunction(() => (globalThis as unknown as { Switchboard?: { state: string | null } }).Switchboard?.state === 'online', undefined, { timeout: 15_000 });
  await page.locator('[data-sb="icon"]').click();
  return page;
}

const FAKE_DISPLAY_MEDIA = `if (navigator.mediaDevices) navigator.mediaDevices.getDisplayMedia = async () => {
  const c = document.createElement('canvas');
  c.width = 640;
  c.height = 360;
  const g = c.getContext('2d');
  const draw = () => { g.fillStyle = '#805ad5'; g.fillRect(0, 0, 640, 360); };
  draw();
  const timer = setInterval(draw, 50);
  const stream = c.captureStream(20);
  stream.getVideoTracks()[0].addEventListener('ended', () => clearInterval(timer));
  return stream;
};`;

/** E3: what a pasted screenshot looks like to the page: a paste event carrying an image file. */
// Browser code as text: the test project's types have no DOM.
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (node: unknown, name: string) => Promise<void>;
const PASTE_IMAGE = new AsyncFunction('node', 'name', `
  const c = document.createElement('canvas');
  c.width = 320;
  c.height = 200;
  const g = c.getContext('2d');
  g.fillStyle = '#38a169';
  g.fillRect(0, 0, 320, 200);
  const blob = await new Promise((r) => c.toBlob(r, 'image/png'));
  const dt = new DataTransfer();
  dt.items.add(new File([blob], name, { type: 'image/png' }));
  node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));`);
const pasteImage = (target: Locator, name: string) => target.evaluate(PASTE_IMAGE, name);
const IMAGE_WIDTH = new AsyncFunction('img', '', `
  if (!img.complete || !img.naturalWidth) await new Promise((r) => { img.addEventListener('load', r, { once: true }); img.addEventListener('error', r, { once: true }); });
  return img.naturalWidth;`);

/** The newest open conversation of the company (the one the visitor just opened). */
async function newestConversation(): Promise<{ id: string; groupId: string | null; visitorName: string }> {
  for (let i = 0; i < 50; i++) {
    const r = await api(server.url, session, 'GET', '/api/v1/conversations?state=queued,active&limit=1');
    if (r.json.items[0]) return r.json.items[0];
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('no conversation');
}

async function accept(conversationId: string): Promise<void> {
  const row = consolePage.locator(`[data-test=waiting-list] [data-conversation="${conversationId}"]`);
  await row.waitFor();
  await row.locator('[data-test=accept]').click();
  const mine = consolePage.locator(`[data-test=my-chats] [data-conversation="${conversationId}"]`);
  await mine.waitFor();
  await mine.click();
}

describe('widget chat extras on /demo with the console', () => {
  let conversationId: string;
  let page: Page;
  const win = () => page.frameLocator('iframe[data-sb="window"]');

  it('J5 L1: the pre-chat form routes to its group; the member shows to the agent', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { memberSecret } = await server.tracker.trackingSettings(server.demo!.companyId);
    page = await visitorPage({ width: 1280, height: 800 }, signMemberToken({ memberId: 'u-1001', name: '赵六', data: { 等级: 'VIP' }, exp: now + 600 }, memberSecret));
    const sheet = win().locator('.sb-sheet', { hasText: '开始对话前' });
    await sheet.waitFor();
    expect(await win().locator('.sb-compose').isHidden()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'widget-extras-prechat.png') });
    await sheet.locator('button[type=submit]').click();
    await sheet.locator('.sb-form-status', { hasText: '请填写姓名' }).waitFor();
    await sheet.locator('input[name=name]').fill('王五 <b>x</b>');
    await sheet.locator('select[name=question]').selectOption('buy');
    await sheet.locator('button[type=submit]').click();
    await sheet.waitFor({ state: 'detached' });
    await win().locator('.sb-banner', { hasText: '排在第 1 位' }).waitFor();

    const conv = await newestConversation();
    conversationId = conv.id;
    expect(conv.groupId).toBe('sales');
    expect(conv.visitorName).toBe('赵六');
    await accept(conversationId);
    const profile = consolePage.locator('[data-test=chat-pane] [data-test=visitor-profile]');
    await profile.locator('[data-test=member-id]', { hasText: 'u-1001' }).waitFor();
    await profile.locator('[data-field=name]', { hasText: '王五 <b>x</b>' }).waitFor();
    expect(await profile.locator('[data-field=question]').textContent()).toContain('buy');
    expect(await consolePage.locator('[data-test=chat-pane] b').count()).toBe(0);
  });

  it('E2: files both ways with thumbnails; the console enlarges an image and declines one', async () => {
    // visitor → agent: two images; the agent looks at one and refuses the other
    await win().locator('.sb-compose input[type=file]').setInputFiles(path.join(TMP, 'receipt.png'));
    await win().locator('.sb-msg--visitor img.sb-thumb').first().waitFor();
    await win().locator('.sb-compose input[type=file]').setInputFiles(path.join(TMP, 'photo.png'));
    await win().locator('.sb-msg--visitor img.sb-thumb').nth(1).waitFor();
    const thumbs = consolePage.locator('[data-test=chat-pane] [data-test=file-thumb]');
    await thumbs.nth(1).waitFor();
    await thumbs.first().click();
    const viewer = consolePage.locator('.el-image-viewer__wrapper');
    await viewer.waitFor();
    expect(await viewer.locator('img').first().getAttribute('src')).toMatch(/^\/api\/v1\/files\/[A-Za-z0-9_-]+$/);
    await consolePage.screenshot({ path: path.join(SHOTS, 'widget-extras-console-lightbox.png') });
    await consolePage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    await consolePage.locator('[data-test=chat-pane] [data-test=file-message]').nth(1).locator('[data-test=file-decline]').click();
    await consolePage.locator('.el-message-box__btns .el-button--primary').click();
    await consolePage.locator('[data-test=chat-pane] [data-test=file-declined]').waitFor();
    await win().locator('.sb-file--declined', { hasText: '客服已拒收该文件' }).waitFor();
    expect(await win().locator('.sb-msg--visitor img.sb-thumb').count()).toBe(1);

    // agent → visitor: a text file arrives as a download link
    await consolePage.locator('[data-test=chat-pane] [data-test=file-input]').setInputFiles(path.join(TMP, '价目表.txt'));
    const link = win().locator('.sb-msg--agent .sb-file-link', { hasText: '价目表.txt' });
    await link.waitFor();
    expect(await link.getAttribute('download')).toBe('价目表.txt');
    // E3: screenshots pasted on both sides go out as images
    await pasteImage(win().locator('textarea.sb-text'), 'pasted.png');
    await consolePage.locator('[data-test=chat-pane] [data-test=file-thumb]').nth(1).waitFor();
    await win().locator('.sb-xtool--shot').click();
    await win().locator('.sb-msg--visitor img.sb-thumb[alt="screenshot.png"]').waitFor();
    await consolePage.locator('[data-test=chat-pane] [data-test=file-thumb]').nth(2).waitFor();
    await pasteImage(consolePage.locator('[data-test=chat-pane] [data-test=chat-input]'), 'agent-shot.png');
    await win().locator('.sb-msg--agent img.sb-thumb').waitFor();
    // the visitor really gets the agent's thumbnail (served through the widget files API)
    expect(await win().locator('.sb-msg--agent img.sb-thumb').evaluate(IMAGE_WIDTH)).toBe(320);
    await page.screenshot({ path: path.join(SHOTS, 'widget-extras-files.png') });
    await consolePage.screenshot({ path: path.join(SHOTS, 'widget-extras-console-files.png') });
  });

  it('E7 E8: the agent pushes the info form and the survey; answers and rating reach the console', async () => {
    await consolePage.locator('[data-test=push-form]').click();
    const form = win().locator('.sb-sheet', { hasText: '请留下您的信息' });
    await form.waitFor();
    await form.locator('input[name=name]').fill('王五');
    await form.locator('input[name=phone]').fill('+86 138 0000 0000');
    await form.locator('input[name=email]').fill('wang@example.com');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
    await win().locator('.sb-msg--system', { hasText: '已收到您的信息' }).waitFor();
    const profile = consolePage.locator('[data-test=chat-pane] [data-test=visitor-profile]');
    await profile.locator('[data-field=phone]', { hasText: '+86 138 0000 0000' }).waitFor();

    await consolePage.locator('[data-test=push-rating]').click();
    const survey = win().locator('.sb-sheet', { hasText: '您对本次服务满意吗' });
    await survey.waitFor();
    await survey.locator('.sb-star[data-score="4"]').click();
    await survey.locator('textarea[name=comment]').fill('<script>x</script> 很耐心');
    await page.screenshot({ path: path.join(SHOTS, 'widget-extras-rating.png') });
    await survey.locator('button[type=submit]').click();
    await survey.waitFor({ state: 'detached' });
    await win().locator('.sb-msg--system', { hasText: '感谢您的评价' }).waitFor();
    const badge = consolePage.locator('[data-test=chat-pane] [data-test=rating-badge]');
    await badge.waitFor();
    expect(await badge.getAttribute('data-score')).toBe('4');
    await consolePage.screenshot({ path: path.join(SHOTS, 'widget-extras-console.png') });
  });

  it('J3 E8 on a phone: pre-chat to the company queue, rating at any time from the header', async () => {
    const phone = await visitorPage({ width: 390, height: 844 });
    const w = phone.frameLocator('iframe[data-sb="window"]');
    const sheet = w.locator('.sb-sheet', { hasText: '开始对话前' });
    await sheet.waitFor();
    await sheet.locator('input[name=name]').fill('手机访客');
    await sheet.locator('select[name=question]').selectOption('other');
    await phone.screenshot({ path: path.join(SHOTS, 'widget-extras-phone-prechat.png') });
    await sheet.locator('button[type=submit]').click();
    await sheet.waitFor({ state: 'detached' });
    const conv = await newestConversation();
    expect(conv.groupId).toBeNull();
    expect(conv.visitorName).toBe('手机访客');
    await accept(conv.id);
    await w.locator('.sb-msg--system', { hasText: '已加入对话' }).waitFor();

    await w.locator('.sb-head-btn[aria-label="评价本次服务"]').click();
    const survey = w.locator('.sb-sheet', { hasText: '您对本次服务满意吗' });
    await survey.locator('.sb-star[data-score="5"]').tap();
    await phone.screenshot({ path: path.join(SHOTS, 'widget-extras-phone-rating.png') });
    await survey.locator('button[type=submit]').tap();
    await w.locator('.sb-msg--system', { hasText: '感谢您的评价' }).waitFor();
    await consolePage.locator('[data-test=chat-pane] [data-test=rating-badge][data-score="5"]').waitFor();
    // the composer is usable again and its file button fits the phone
    const box = await w.locator('.sb-compose').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
  });
});
