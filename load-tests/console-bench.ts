// npx tsx load-tests/console-bench.ts [--chats 50] [--visitors 2000] [--seconds 15] [--rate 25]
//
// The agent console under a heavy agent's load, in headless Chromium: boots the
// real server (fresh database on LOAD_PG_URL, as run.ts does), opens the
// console as one agent, and measures inside the page over a fixed window:
//   frame times   requestAnimationFrame deltas (p50 / p95 / p99 / max, frames > 50 ms)
//   long tasks    PerformanceObserver 'longtask' (count, total ms)
//   JS heap       CDP Performance.getMetrics JSHeapUsedSize after a forced GC
//   DOM nodes     CDP Nodes, and the visitor rows actually in the DOM
// Phases, all in the same run so only ratios between them are reported:
//   idle        console on the visitor list, no visitors, no chats (the baseline)
//   visitors    visitor list with N live visitors, M chats and message traffic,
//               the list left where it is (an agent watching it)
//   scrolling   the same, the list scrolled by the mouse wheel the whole window
//               (100 px every 16 ms, about 6,000 px/s: a fast flick, down then up)
//   workbench   工作台 with the same load, one chat open, messages arriving
//   plain       the visitors phase on /visitors?plainTable: the non-virtualised
//               el-table with every row in the DOM (the baseline for
//               virtualisation; last, as it keeps the main thread busy)
// Visitors are real widget sockets + page-view beacons over 127.0.0.2–254; the
// chats are accepted for the agent by a second socket of the same agent.
// Prints a table; docs/performance.md "Console benchmark" has a run's figures.
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { ensureBuilt } from '../scripts/prepare.mjs';
import { createDatabase, startSwitchboard } from './lib/target.js';
import { createLoadCompanies } from './lib/fixtures.js';
import { JsonSocket, loopbackSource, mapLimit, type Frame } from './lib/ws-client.js';
import { openLiveVisitors } from './lib/live-visitors.js';

const { values } = parseArgs({
  options: {
    chats: { type: 'string', default: '50' },
    visitors: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '15' },
    /** visitor messages per second over all chats (agent replies add a quarter of that) */
    rate: { type: 'string', default: '25' },
    /** CPU-profile the scrolling phase and print the top functions by self time */
    profile: { type: 'boolean', default: false },
  },
});
const CHATS = Number(values.chats);
const VISITORS = Number(values.visitors);
const WINDOW_MS = Number(values.seconds) * 1000;
const RATE = Number(values.rate);
const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// In-page collector, as a string: the root tsconfig has no DOM types.
const COLLECTOR = `(() => {
  const b = { frames: [], longTasks: [], running: false };
  let last = 0;
  const tick = (t) => { if (!b.running) return; if (last) b.frames.push(t - last); last = t; requestAnimationFrame(tick); };
  new PerformanceObserver((list) => { if (b.running) for (const e of list.getEntries()) b.longTasks.push(e.duration); }).observe({ entryTypes: ['longtask'] });
  b.start = () => { b.frames = []; b.longTasks = []; last = 0; b.running = true; requestAnimationFrame(tick); };
  b.stop = () => { b.running = false; return { frames: b.frames, longTasks: b.longTasks }; };
  window.__bench = b;
})()`;

interface PhaseResult {
  name: string;
  frames: number;
  p50: number; p95: number; p99: number; max: number;
  slowFrames: number;
  longTasks: number; longTaskMs: number;
  heapMiB: number;
  domNodes: number;
  visitorRows: number;
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
const r1 = (n: number) => Math.round(n * 10) / 10;

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}

async function measure(name: string, page: Page, cdp: CDPSession, during?: () => Promise<void>): Promise<PhaseResult> {
  await page.evaluate('window.__bench.start()');
  const end = Date.now() + WINDOW_MS;
  if (during) while (Date.now() < end) await during();
  else await sleep(WINDOW_MS);
  const raw = (await page.evaluate('window.__bench.stop()')) as { frames: number[]; longTasks: number[] };
  const m = await metrics(cdp);
  const sorted = [...raw.frames].sort((a, b) => a - b);
  const rows = (await page.evaluate("document.querySelectorAll('.el-table-v2__row, .el-table__row').length")) as number;
  const res: PhaseResult = {
    name, frames: sorted.length,
    p50: r1(pct(sorted, 50)), p95: r1(pct(sorted, 95)), p99: r1(pct(sorted, 99)), max: r1(sorted[sorted.length - 1] ?? NaN),
    slowFrames: sorted.filter((d) => d > 50).length,
    longTasks: raw.longTasks.length, longTaskMs: Math.round(raw.longTasks.reduce((a, b) => a + b, 0)),
    heapMiB: r1((m.JSHeapUsedSize ?? NaN) / 1024 / 1024), domNodes: m.Nodes ?? NaN, visitorRows: rows,
  };
  log(`${name}: ${JSON.stringify(res)}`);
  return res;
}

/** Top functions by self time of a CDP CPU profile. */
function printProfile(p: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }): void {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (p.samples ?? []).forEach((id, i) => {
    const f = byNode.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`  ${r1(ms)} ms (${r1((ms / total) * 100)} %) ${k}`);
}

async function main(): Promise<void> {
  ensureBuilt();
  const db = await createDatabase(`sb_console_bench_${Date.now().toString(36)}`, { synchronousCommit: false });
  const server = await startSwitchboard({ ownerUrl: db.ownerUrl, env: { LOG_LEVEL: 'warn' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  });
  const sockets: JsonSocket[] = [];
  let visitors: { close(): void } | null = null;
  let traffic: ReturnType<typeof setInterval> | undefined;
  try {
    const [company] = await createLoadCompanies(db.ownerUrl, { companies: 1, agentsPerCompany: 1, maxChats: CHATS + 10, tag: 'console' });
    const agent = company!.agents[0]!;
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await context.addCookies([{ name: 'sb_session', value: agent.cookie.split('=')[1]!, url: server.url }]);
    const page = await context.newPage();
    await page.addInitScript(COLLECTOR);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');

    await page.goto(`${server.url}/visitors`);
    await page.locator('[data-test=connection]', { hasText: '连接良好' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-test=visitors-table] .el-table-v2__header-cell').first().waitFor();
    await sleep(2000);
    const results: PhaseResult[] = [await measure('idle (0 visitors, 0 chats)', page, cdp)];

    // The chats: visitors ask, a second socket of the same agent accepts.
    const wsBase = server.url.replace(/^http/, 'ws');
    const helper = await JsonSocket.open(`${wsBase}/ws/agent`, { headers: { cookie: agent.cookie, origin: server.url } });
    sockets.push(helper);
    const accepted = new Set<string>();
    helper.onFrame = (f: Frame) => {
      if (f.type !== 'queue.snapshot') return;
      for (const c of f.queue as Array<{ id: string }>) {
        if (accepted.has(c.id)) continue;
        accepted.add(c.id);
        helper.send({ type: 'conversation.accept', conversationId: c.id });
      }
    };
    const ready = helper.waitFor((f) => f.type === 'agent.ready', 30_000, 'agent.ready');
    helper.send({ type: 'agent.hello' });
    await ready;
    const chats = await mapLimit(Array.from({ length: CHATS }, (_, i) => i), 10, async (i) => {
      const vid = `bench-chat-${String(i).padStart(3, '0')}`;
      const s = await JsonSocket.open(`${wsBase}/ws/visitor?key=${company!.publicKey}&vid=${vid}`, { localAddress: loopbackSource(1000 + i) });
      sockets.push(s);
      const hello = s.waitFor((f) => f.type === 'visitor.ready', 30_000, 'visitor.ready');
      s.send({ type: 'visitor.hello', name: `访客 ${i}` });
      await hello;
      const assigned = s.waitFor((f) => f.type === 'chat.assigned', 30_000, `chat.assigned for ${vid}`);
      s.send({ type: 'chat.request', text: `你好，我想问一下订单 ${i}`, clientMsgId: 'request' });
      const a = await assigned;
      return { visitor: s, conversationId: a.conversationId as string };
    });
    log(`${chats.length} chats assigned to ${agent.id}`);
    await page.locator('[data-test=my-chats]').count(); // the console is up
    visitors = await openLiveVisitors(server.url, company!.publicKey, VISITORS, 'bench-vis');
    await page.locator('[data-test=visitors-count]', { hasText: String(VISITORS) }).waitFor({ timeout: 120_000 });
    log(`${VISITORS} live visitors listed`);

    let k = 0;
    traffic = setInterval(() => {
      const c = chats[k % chats.length]!;
      c.visitor.send({ type: 'message.send', conversationId: c.conversationId, clientMsgId: `v${k}`, text: `第 ${k} 条消息：请问什么时候发货？` });
      if (k % 4 === 0) helper.send({ type: 'message.send', conversationId: c.conversationId, clientMsgId: `a${k}`, text: `好的，马上为您查询（${k}）` });
      k++;
    }, 1000 / RATE);
    await sleep(2000);

    const load = `${VISITORS} visitors, ${CHATS} chats, ${RATE}+${RATE / 4} msg/s`;
    results.push(await measure(`visitors (${load})`, page, cdp));
    /** the mouse wheel over the list all window long: down, then back up */
    const scrolling = async (label: string, body: string, profile: boolean | undefined) => {
      await page.locator(body).hover();
      let dir = 1;
      let steps = 0;
      if (profile) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
      results.push(await measure(label, page, cdp, async () => {
        await page.mouse.wheel(0, dir * 100);
        if (++steps % 400 === 0) dir = -dir;
        await sleep(16);
      }));
      if (profile) printProfile((await cdp.send('Profiler.stop')).profile);
    };
    await scrolling(`scrolling (${load}, wheel)`, '[data-test=visitors-table] .el-table-v2__body', values.profile);

    await page.goto(`${server.url}/`);
    await page.locator('[data-test=my-chats] .row').first().click({ timeout: 30_000 });
    await sleep(2000);
    results.push(await measure(`workbench (${CHATS} chats open in the list, one selected, same traffic)`, page, cdp));
    // The baseline for virtualisation: the same list in the plain el-table.
    await page.goto(`${server.url}/visitors?plainTable=1`);
    await page.waitForFunction(`document.querySelectorAll('.el-table__row').length >= ${VISITORS}`, undefined, { timeout: 300_000, polling: 1000 });
    await sleep(2000);
    results.push(await measure(`plain el-table (${load})`, page, cdp));

    log(`sent ${k} visitor messages and ${Math.ceil(k / 4)} agent messages`);

    const base = results[0]!;
    const ratio = (a: number, b: number) => (b > 0 ? `${r1(a / b)}×` : '—');
    const [, still, , , plainStill] = results;
    const vsPlain = (v: PhaseResult, p: PhaseResult) =>
      `${p.name} ÷ ${v.name}: frames delivered ${ratio(p.frames, v.frames)}, long-task ms ${p.longTaskMs} vs ${v.longTaskMs}, JS heap ${ratio(p.heapMiB, v.heapMiB)}, DOM nodes ${ratio(p.domNodes, v.domNodes)}, rows in DOM ${ratio(p.visitorRows, v.visitorRows)}`;
    const lines = [
      '| phase | frames | frame p50 ms | p95 | p99 | max | frames > 50 ms | long tasks (ms) | JS heap MiB | DOM nodes | visitor rows in DOM |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.map((r) => `| ${r.name} | ${r.frames} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${r.slowFrames} | ${r.longTasks} (${r.longTaskMs}) | ${r.heapMiB} | ${r.domNodes} | ${r.visitorRows} |`),
      '',
      ...results.slice(1).map((r) => `${r.name} vs idle: frame p95 ${ratio(r.p95, base.p95)}, p99 ${ratio(r.p99, base.p99)}, JS heap ${ratio(r.heapMiB, base.heapMiB)}, DOM nodes ${ratio(r.domNodes, base.domNodes)}`),
      vsPlain(still!, plainStill!),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    if (traffic) clearInterval(traffic);
    visitors?.close();
    for (const s of sockets) s.ws.terminate();
    await browser.close();
    await server.stop();
    await db.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
