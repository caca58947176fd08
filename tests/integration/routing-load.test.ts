// Routing under load (issue "Routing core", Tests): ≥ 200 WebSocket visitors asking
// for chats and ≥ 20 WebSocket agents changing status, dropping and coming back and
// ending chats at random, for ROUTING_LOAD_SECONDS (default 60). Afterwards the
// invariants are checked on the server's own assignment_log, replayed in decision order:
// never two agents on one chat, never over a cap, auto-assigned only to agents online at
// that moment, FIFO within a scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, openAgent, openVisitor, type AgentClient, type VisitorClient } from '../helpers/clients.js';
import { connectAgent, createAgents, ownerSql, type TeamAgent } from './routing-team.js';

const SECONDS = Number(process.env.ROUTING_LOAD_SECONDS ?? 60);
const VISITORS = Number(process.env.ROUTING_LOAD_VISITORS ?? 200);
const AGENTS = 20;

let server: TestServer;
let stopped = false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));
const stats = { requests: 0, assignedSeen: 0, abandoned: 0, statusChanges: 0, reconnects: 0, agentEnds: 0, visitorErrors: 0 };

beforeAll(async () => {
  server = await startTestServer({ AGENT_GRACE_SECONDS: '1', VISITOR_GRACE_SECONDS: '10' });
  const ids = Array.from({ length: AGENTS }, (_, i) => `agent${String(i + 1).padStart(2, '0')}`);
  await createAgents(server, ids.map((id, i) => ({ id, maxChats: 1 + (i % 3) })));
  await ownerSql(server, async (sql) => {
    const company = server.demo!.companyId;
    await sql`update agents set auto_accept = true where company_id = ${company}`;
    await sql`insert into groups (company_id, id, name) values (${company}, 'g1', 'Group one')`;
    for (const id of ids.slice(0, AGENTS / 2)) await sql`insert into group_members (company_id, group_id, agent_id) values (${company}, 'g1', ${id})`;
  });
  const admin = await connectAgent(server, server.demo!.agentId, server.demo!.password);
  expect((await api(server.url, admin.session, 'PUT', '/api/v1/settings/routing', { autoAssign: true, mode: 'service' })).status).toBe(200);
  // The admin stays away: only the 20 load agents take chats.
  admin.ws.send({ type: 'agent.status.set', status: 'away' });
  await admin.ws.waitFor('agent.status', (f) => f.status === 'away');
  await admin.ws.close();
}, 180_000);

afterAll(async () => {
  await server?.dispose();
});

async function visitorLoop(i: number, sockets: VisitorClient[]): Promise<void> {
  const id = `load-visitor-${String(i).padStart(4, '0')}`;
  const v = await openVisitor(server.url, server.demo!.publicKey, id);
  sockets.push(v);
  v.send({ type: 'visitor.hello', name: `Load ${i}` });
  await v.waitFor('visitor.ready', () => true, 60_000);
  let n = 0;
  while (!stopped) {
    await sleep(rand(500, 6000));
    if (stopped) break;
    v.frames.length = 0;
    stats.requests++;
    v.send({ type: 'chat.request', text: `hello ${n}`, clientMsgId: `${id}-${n++}`, ...(i % 3 === 0 ? { groupId: 'g1' } : {}) });
    try {
      // Queued, or assigned at once; the other wait must not reject unhandled.
      const first = await Promise.race([
        v.waitFor('chat.queued', () => true, 30_000).catch(() => null), v.waitFor('chat.assigned', () => true, 30_000).catch(() => null),
      ]);
      if (!first) throw new Error('no answer to chat.request');
      const conversationId = first.conversationId;
      const assigned = await v.waitFor('chat.assigned', (f) => f.conversationId === conversationId, rand(2000, 15_000)).catch(() => null);
      if (assigned) {
        stats.assignedSeen++;
        v.send({ type: 'message.send', conversationId, clientMsgId: `${id}-m${n}`, text: 'a question' });
        await sleep(rand(500, 5000));
      } else {
        stats.abandoned++;
      }
      v.send({ type: 'chat.end', conversationId });
      await v.waitFor('chat.ended', (f) => f.conversationId === conversationId, 20_000).catch(() => null);
    } catch {
      stats.visitorErrors++;
    }
  }
}

/** Sessions made in the store: 20 logins from one address would hit the login rate limit. */
async function agentSession(id: string): Promise<TeamAgent> {
  const s = await server.stores.accounts.createSession({ companyId: server.demo!.companyId, agentId: id, ttlMs: 3_600_000, ip: '127.0.0.1', userAgent: 'load' });
  const session = { cookie: `sb_session=${s.id}`, csrfToken: s.csrfToken, body: null };
  const ws = await openAgent(server.url, session);
  ws.send({ type: 'agent.hello' });
  await ws.waitFor('agent.ready', () => true, 30_000);
  return { id, session, ws };
}

async function agentLoop(id: string): Promise<void> {
  let a: TeamAgent = await agentSession(id);
  const mine = new Set<string>();
  const track = (ws: AgentClient) => {
    for (const f of ws.frames) {
      if (f.type === 'agent.ready') for (const c of f.conversations) mine.add(c.id);
      if (f.type === 'conversation.updated') {
        if (f.conversation.agentId === id && f.conversation.state !== 'ended') mine.add(f.conversation.id);
        else mine.delete(f.conversation.id);
      }
    }
    ws.frames.length = 0; // keep memory flat: waiting-list snapshots are large and frequent
  };
  while (!stopped) {
    await sleep(rand(800, 4000));
    if (stopped) break;
    track(a.ws);
    const r = Math.random();
    if (r < 0.75) {
      const status = r < 0.45 ? 'online' : r < 0.6 ? 'busy' : 'away';
      a.ws.send({ type: 'agent.status.set', status });
      stats.statusChanges++;
    } else if (r < 0.85) {
      // Drop the socket; back within or beyond the 1 s grace.
      await a.ws.close();
      stats.reconnects++;
      await sleep(rand(200, 2500));
      mine.clear();
      // Same session, new socket (a new login per drop would hit the login rate limit).
      const ws = await openAgent(server.url, a.session);
      ws.send({ type: 'agent.hello' });
      await ws.waitFor('agent.ready', () => true, 30_000);
      a = { ...a, ws };
      a.ws.send({ type: 'agent.status.set', status: 'online' });
    } else if (mine.size > 0) {
      const [conversationId] = [...mine];
      a.ws.send({ type: 'conversation.end', conversationId: conversationId! });
      mine.delete(conversationId!);
      stats.agentEnds++;
    }
  }
  await a.ws.close();
}

interface LogRow {
  conversation_id: string; agent_id: string | null; event: string; mode: string | null; status: string | null;
  load: number | null; cap: number | null; scope: string | null; ticket: number | null; decision: string;
}

describe('routing under load', () => {
  it(`${VISITORS} visitors and ${AGENTS} agents for ${SECONDS} s keep every invariant in assignment_log`, { timeout: (SECONDS + 240) * 1000 }, async () => {
    const started = Date.now();
    const visitorSockets: VisitorClient[] = [];
    const errors: string[] = [];
    const loops = [
      ...Array.from({ length: VISITORS }, (_, i) => visitorLoop(i, visitorSockets)),
      ...Array.from({ length: AGENTS }, (_, i) => agentLoop(`agent${String(i + 1).padStart(2, '0')}`)),
    ].map((p) => p.catch((err: unknown) => { errors.push(String(err)); }));
    await sleep(SECONDS * 1000);
    stopped = true;
    await Promise.all(loops);
    expect(errors).toEqual([]);
    expect(visitorSockets.length).toBeGreaterThanOrEqual(VISITORS);
    await Promise.all(visitorSockets.map((v) => v.close()));
    await server.chat.idle();

    const company = server.demo!.companyId;
    const { rows, caps, chats } = await ownerSql(server, async (sql) => ({
      rows: await sql<LogRow[]>`select conversation_id, agent_id, event, mode, status, load, cap, scope, ticket, decision::text
                                  from assignment_log where company_id = ${company} order by decision, id`,
      caps: Object.fromEntries((await sql<{ id: string; max_chats: number }[]>`select id, max_chats from agents where company_id = ${company}`).map((r) => [r.id, r.max_chats])),
      chats: Number((await sql<{ n: string }[]>`select count(*) as n from conversations where company_id = ${company}`)[0]!.n),
    }));
    expect(rows.every((r) => r.decision !== null)).toBe(true);

    const owner = new Map<string, string | null>();
    const owned = new Map<string, number>();
    const requeued = new Set(rows.filter((r) => r.event === 'requeued').map((r) => r.conversation_id));
    const lastTicket = new Map<string, number>();
    const problems: string[] = [];
    let assignments = 0;
    const release = (conv: string) => {
      const o = owner.get(conv);
      if (o) owned.set(o, (owned.get(o) ?? 1) - 1);
      owner.set(conv, null);
    };
    for (const r of rows) {
      if (r.event === 'assigned') {
        assignments++;
        const prev = owner.get(r.conversation_id) ?? null;
        // 1. never two agents on one chat: only a transfer or take-over replaces an owner
        if (prev !== null && r.mode !== 'transfer' && r.mode !== 'takeover') problems.push(`${r.conversation_id} assigned to ${r.agent_id} while ${prev} owns it`);
        release(r.conversation_id);
        owner.set(r.conversation_id, r.agent_id);
        const n = (owned.get(r.agent_id!) ?? 0) + 1;
        owned.set(r.agent_id!, n);
        // 2. never over cap: replayed ownership and the router's own load
        if (n > caps[r.agent_id!]!) problems.push(`${r.agent_id} owns ${n} > cap ${caps[r.agent_id!]}`);
        if (r.load! > r.cap!) problems.push(`${r.agent_id} load ${r.load} > cap ${r.cap}`);
        // 3. auto-assigned only to agents online at that moment
        if (r.mode === 'auto' && r.status !== 'online') problems.push(`${r.conversation_id} auto-assigned to ${r.agent_id} while ${r.status}`);
        // 4. FIFO within a scope (chats never sent back to the queue)
        if (r.mode === 'auto' && !requeued.has(r.conversation_id)) {
          const last = lastTicket.get(r.scope!) ?? 0;
          if (r.ticket! <= last) problems.push(`${r.scope}: ticket ${r.ticket} assigned after ${last}`);
          lastTicket.set(r.scope!, r.ticket!);
        }
      } else if (r.event === 'requeued' || r.event === 'ended') {
        release(r.conversation_id);
      }
    }
    const figures = {
      seconds: Math.round((Date.now() - started) / 1000), visitors: visitorSockets.length, agents: AGENTS, chats, assignments,
      requeues: requeued.size, scopes: [...lastTicket.keys()], ...stats,
    };
    console.log('routing-load figures', JSON.stringify(figures));
    expect(problems).toEqual([]);
    expect(assignments).toBeGreaterThan(VISITORS / 2);
    expect(lastTicket.size).toBe(2);
  });
});
