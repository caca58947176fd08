// npm run load -- <messages|assignment|idle|churn|all> [--smoke] [options]
// Boots the real server (child process, raised `ulimit -n`, ECHO_ENDPOINT on) on
// fresh databases of the Postgres server (LOAD_PG_URL, default
// postgres://postgres@127.0.0.1:5432/postgres), drives it from forked generator
// processes, prints a summary and writes load-tests/results/<scenario>-<time>.json.
// Options (defaults are the full run; --smoke shrinks everything):
//   --parts N            generator processes (0 = in this process)      [2]
//   --conversations N    scenario a conversations                        [1000]
//   --rates a,b,c        scenario a: fixed rates instead of the search
//   --step-ms N          scenario a: duration of each rate step          [5000]
//   --storm-rate N       scenario b: chat requests per second            [1000]
//   --storm-requests N   scenario b: how many requests                   [5000]
//   --agents N           scenario b: agents                              [200]
//   --storm-routing M    scenario b: auto (router assigns) | manual (agents accept from queue.snapshot) [auto]
//   --idle-target N      scenario c: tracked visitors                    [100000]
//   --churn-rate N       scenario d: connects per second                 [500]
//   --profile            CPU-profile the durable server during scenario a
//   --no-baselines       scenario a without echo / Socket.IO / async-commit runs
// LOAD_GEN_PROF=<dir>: CPU-profile the generator processes too (one .cpuprofile per process)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, ROOT, startSocketIoRelay, startSwitchboard, type ChildServer, type LoadDatabase } from './lib/target.js';
import { createLoadCompanies } from './lib/fixtures.js';
import { summarizeProfile } from './lib/profile.js';
import { runMessages, type MessagesOptions, type MessagesResult } from './scenarios/messages.js';
import { runAssignment } from './scenarios/assignment.js';
import { runIdle } from './scenarios/idle.js';
import { runChurn } from './scenarios/churn.js';
import { printSummary } from './lib/report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: 'boolean', default: false },
    parts: { type: 'string' },
    conversations: { type: 'string' },
    rates: { type: 'string' },
    'step-ms': { type: 'string' },
    'storm-rate': { type: 'string' },
    'storm-requests': { type: 'string' },
    agents: { type: 'string' },
    'storm-routing': { type: 'string' },
    'idle-target': { type: 'string' },
    'churn-rate': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-baselines': { type: 'boolean', default: false },
  },
});
const SCENARIOS = ['messages', 'assignment', 'idle', 'churn'] as const;
const which = positionals[0] ?? 'all';
if (which !== 'all' && !(SCENARIOS as readonly string[]).includes(which)) {
  process.stderr.write(`unknown scenario ${which}; use ${SCENARIOS.join(' | ')} | all\n`);
  process.exit(2);
}
const want = (s: (typeof SCENARIOS)[number]) => which === 'all' || which === s;
const smoke = values.smoke;
const num = (v: string | undefined, full: number, small: number) => (v === undefined ? (smoke ? small : full) : Number(v));
const parts = num(values.parts, 2, 1);
const tag = Date.now().toString(36);
const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const resultsDir = path.join(ROOT, 'load-tests/results');
fs.mkdirSync(resultsDir, { recursive: true });
const results: Record<string, unknown> = { tag, smoke, parts, startedAt: new Date().toISOString(), node: process.version };

const dbs: LoadDatabase[] = [];
const servers: ChildServer[] = [];
const track = <T extends ChildServer>(s: T) => (servers.push(s), s);

try {
  const durableDb = await createDatabase(`sb_load_${tag}`, { synchronousCommit: true });
  dbs.push(durableDb);
  const profDir = values.profile ? path.join(resultsDir, `prof-${tag}`) : undefined;
  let server = track(await startSwitchboard({ ownerUrl: durableDb.ownerUrl, ...(profDir ? { cpuProfDir: profDir } : {}) }));
  /** Stops the profiled server (the profile is written when it exits) and summarizes the main thread's profile. */
  const collectProfile = async (dir: string, scenario: string, units: number, windowNs?: [number, number]) => {
    await server.stop();
    // --cpu-prof writes one file per thread (tsx's loader is a thread too): the main thread's is the largest.
    const file = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
      .sort((x, y) => fs.statSync(path.join(dir, y)).size - fs.statSync(path.join(dir, x)).size)[0];
    if (file) results.profile = { scenario, file: path.join(dir, file), messagesDelivered: units, ...summarizeProfile(path.join(dir, file), 25, windowNs) };
  };
  log(`server pid ${server.pid} at ${server.url}`);

  if (want('messages')) {
    const mOpts: MessagesOptions = {
      conversations: num(values.conversations, 1000, 20), parts, chatsPerAgent: 5,
      ...(values.rates ? { rates: values.rates.split(',').map(Number) } : smoke ? { rates: [100] } : {}),
      startRate: 125, maxRate: 256_000, stepMs: num(values['step-ms'], 5000, 2000), halfMs: smoke ? 0 : 10_000,
      drainMs: smoke ? 5000 : 10_000, sloP99Ms: 1000, tag: `${tag}d`,
    };
    const m: Record<string, MessagesResult> = {};
    m.routedDurable = await runMessages({ kind: 'routed', url: server.url, ownerUrl: durableDb.ownerUrl, pid: server.pid }, mOpts, log);
    if (profDir) {
      await collectProfile(profDir, 'messages', m.routedDurable.phases.reduce((a, p) => a + p.delivered, 0), m.routedDurable.spanNs);
      server = track(await startSwitchboard({ ownerUrl: durableDb.ownerUrl }));
    }
    if (!values['no-baselines']) {
      m.echo = await runMessages({ kind: 'echo', url: server.url, pid: server.pid }, { ...mOpts, tag: `${tag}e` }, log);
      const asyncDb = await createDatabase(`sb_load_${tag}_async`, { synchronousCommit: false });
      dbs.push(asyncDb);
      const asyncServer = track(await startSwitchboard({ ownerUrl: asyncDb.ownerUrl }));
      m.routedAsyncCommit = await runMessages({ kind: 'routed', url: asyncServer.url, ownerUrl: asyncDb.ownerUrl, pid: asyncServer.pid }, { ...mOpts, tag: `${tag}a` }, log);
      await asyncServer.stop();
      const relay = track(await startSocketIoRelay(durableDb.ownerUrl));
      m.socketIoRelay = await runMessages({ kind: 'socketio', url: relay.url, ownerUrl: durableDb.ownerUrl, pid: relay.pid }, { ...mOpts, tag: `${tag}s` }, log);
      await relay.stop();
    }
    results.messages = m;
  }

  if (want('assignment')) {
    const storm = await runAssignment({ url: server.url, ownerUrl: durableDb.ownerUrl }, {
      rate: num(values['storm-rate'], 1000, 50), requests: num(values['storm-requests'], 5000, 40), agents: num(values.agents, 200, 10),
      maxChats: 5, holdMs: 100, parts, drainMs: smoke ? 10_000 : 30_000, tag, autoAssign: values['storm-routing'] !== 'manual',
    }, log);
    results.assignment = storm;
    // Alone, the storm is what --profile profiles (with scenario a, the server was restarted unprofiled).
    if (profDir && !want('messages')) {
      await collectProfile(profDir, 'assignment', storm.assigned);
      server = track(await startSwitchboard({ ownerUrl: durableDb.ownerUrl }));
    }
  }

  if (want('idle') || want('churn')) {
    const [company] = await createLoadCompanies(durableDb.ownerUrl, { companies: 1, agentsPerCompany: 0, maxChats: 5, tag: `${tag}i` });
    if (want('churn')) {
      results.churn = await runChurn({ url: server.url, publicKey: company!.publicKey }, {
        rate: num(values['churn-rate'], 500, 50), durationMs: smoke ? 2000 : 5000, parts, drainMs: 10_000, tag,
      }, log);
    }
    if (want('idle')) {
      results.idle = await runIdle({ url: server.url, publicKey: company!.publicKey, pid: server.pid }, {
        target: num(values['idle-target'], 100_000, 500), steps: smoke ? 2 : 4, parts: Math.max(parts, smoke ? 1 : 4), stepDeadlineMs: 300_000, tag,
      }, log);
    }
  }
} catch (err) {
  // A failed setup is usually explained by the server: show what it logged last (and how it exited).
  await new Promise((r) => setTimeout(r, 1000));
  for (const s of servers) process.stderr.write(`\n--- server pid ${s.pid}, last output ---\n${s.output().slice(-3000)}\n`);
  throw err;
} finally {
  for (const s of servers.reverse()) await s.stop().catch(() => {});
  for (const d of dbs) await d.drop().catch(() => {});
}

results.finishedAt = new Date().toISOString();
const file = path.join(resultsDir, `${which}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(results, null, 2));
printSummary(results, (s) => process.stdout.write(s + '\n'));
process.stdout.write(`\nresults: ${path.relative(process.cwd(), file)}\n`);
