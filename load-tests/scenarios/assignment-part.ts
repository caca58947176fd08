// Scenario b, generator side: pre-connected visitors send chat.request at an
// open-loop rate; request→assigned is timed from the due time to chat.assigned.
// Agents of this part accept from queue.snapshot (visitor g belongs to agent
// g mod agents, within its cap) unless the router assigns by itself, which they
// notice as an assignment they never asked for. Each chat ends holdMs later.
import { JsonSocket, loopbackSource, mapLimit, type Frame } from '../lib/ws-client.js';
import { nowNs, openLoop, until } from '../lib/clock.js';
import { encode, newHistogram, recordNs } from '../lib/hdr.js';
import type { LoadAgent } from '../lib/fixtures.js';

export interface AssignmentPartInput {
  url: string;
  publicKey: string;
  /** every agent of the company; this part drives those with index % parts === part */
  agents: LoadAgent[];
  part: number;
  parts: number;
  /** global visitor indexes of this part: part, part + parts, … below total */
  total: number;
  maxChats: number;
  holdMs: number;
  tag: string;
  /** the router assigns by itself: agents only take what they are given, never accept from queue.snapshot */
  autoAssign?: boolean;
}

export interface AssignmentReport {
  requested: number;
  assigned: number;
  ended: number;
  errors: number;
  firstError?: string;
  /** assignments agents got without sending an accept (router auto-assignment) */
  autoAssigned: number;
  /** conversations a visitor saw assigned to two different agents */
  doubleAssigned: number;
  maxGeneratorLagMs: number;
  latency: string;
  /** conversation id → agent the visitor was told */
  assignedTo: Record<string, string>;
}

export async function assignmentPart(input: AssignmentPartInput) {
  const wsBase = input.url.replace(/^http/, 'ws');
  const A = input.agents.length;
  const mine = input.agents.map((a, i) => ({ a, i })).filter(({ i }) => i % input.parts === input.part);
  const visitors: Array<{ g: number; s: JsonSocket }> = [];
  const sockets: JsonSocket[] = [];
  const hist = newHistogram();
  const r: Omit<AssignmentReport, 'latency' | 'maxGeneratorLagMs'> = { requested: 0, assigned: 0, ended: 0, errors: 0, autoAssigned: 0, doubleAssigned: 0, assignedTo: {} };
  const err = (m: string) => { r.errors++; r.firstError ??= m; };
  const due = new Map<number, number>();

  // ---- agents
  const agentState = new Map<string, { active: Set<string>; pending: Set<string>; asked: Set<string> }>();
  await mapLimit(mine, 20, async ({ a, i }) => {
    const st = { active: new Set<string>(), pending: new Set<string>(), asked: new Set<string>() };
    agentState.set(a.id, st);
    const s = await JsonSocket.open(`${wsBase}/ws/agent`, { headers: { cookie: a.cookie, origin: input.url } });
    const tryAccept = (queue: Array<{ id: string; visitorId: string }>) => {
      if (input.autoAssign) return;
      for (const c of queue) {
        if (st.active.size + st.pending.size >= input.maxChats) return;
        const g = visitorIndex(c.visitorId, input.tag);
        // asked: a snapshot may be older than our own accept and the chat's end.
        if (g === null || g % A !== i || st.pending.has(c.id) || st.active.has(c.id) || st.asked.has(c.id)) continue;
        st.pending.add(c.id);
        st.asked.add(c.id);
        s.send({ type: 'conversation.accept', conversationId: c.id, ref: c.id });
      }
    };
    let lastQueue: Array<{ id: string; visitorId: string }> = [];
    s.onFrame = (f: Frame) => {
      if (f.type === 'queue.snapshot') { lastQueue = f.queue; tryAccept(lastQueue); return; }
      if (f.type === 'conversation.updated' && f.conversation.agentId === a.id) {
        const id = f.conversation.id as string;
        st.pending.delete(id);
        if (f.conversation.state === 'ended') { st.active.delete(id); tryAccept(lastQueue); return; }
        if (!st.active.has(id) && !st.asked.has(id)) r.autoAssigned++;
        st.active.add(id);
        return;
      }
      if (f.type === 'error') {
        if (f.ref) st.pending.delete(f.ref);
        if (f.code !== 'already_taken') err(`${a.id} ${f.code}: ${f.message}`);
      }
    };
    const ready = s.waitFor((f) => f.type === 'agent.ready', 30_000, 'agent.ready');
    s.send({ type: 'agent.hello' });
    lastQueue = (await ready).queue;
    sockets.push(s);
  });

  // ---- visitors, connected before the storm so it measures routing, not handshakes
  const gs: number[] = [];
  for (let g = input.part; g < input.total; g += input.parts) gs.push(g);
  await mapLimit(gs, 50, async (g) => {
    const s = await JsonSocket.open(`${wsBase}/ws/visitor?key=${input.publicKey}&vid=${input.tag}-${g}`, { localAddress: loopbackSource(g) });
    let agentId: string | null = null;
    s.onFrame = (f: Frame) => {
      if (f.type === 'chat.assigned') {
        if (agentId !== null) { if (f.agent.id !== agentId) r.doubleAssigned++; return; }
        agentId = f.agent.id;
        r.assigned++;
        r.assignedTo[f.conversationId] = f.agent.id;
        recordNs(hist, nowNs() - due.get(g)!);
        const id = f.conversationId as string;
        setTimeout(() => s.send({ type: 'chat.end', conversationId: id }), input.holdMs);
      } else if (f.type === 'chat.ended') r.ended++;
      else if (f.type === 'error') err(`visitor ${g} ${f.code}: ${f.message}`);
    };
    const ready = s.waitFor((f) => f.type === 'visitor.ready', 30_000, 'visitor.ready');
    s.send({ type: 'visitor.hello', name: `Storm ${g}` });
    await ready;
    visitors.push({ g, s });
  });
  visitors.sort((x, y) => x.g - y.g);

  return {
    async storm(arg: { rate: number; startAtMs: number; drainMs: number }): Promise<AssignmentReport> {
      const startNs = nowNs() + (arg.startAtMs - Date.now()) * 1e6;
      const n = visitors.length;
      const { maxLagMs } = await openLoop({
        rate: arg.rate, count: n, startNs, deadlineMs: (n / arg.rate) * 1000 + 10_000,
        fire: (k, dueNs) => {
          const v = visitors[k]!;
          due.set(v.g, dueNs);
          r.requested++;
          v.s.send({ type: 'chat.request', text: 'I need help', clientMsgId: 'storm' });
        },
      });
      await until(() => r.ended >= r.requested, arg.drainMs);
      const out: AssignmentReport = { ...r, maxGeneratorLagMs: Math.round(maxLagMs), latency: encode(hist) };
      hist.destroy();
      return out;
    },
    async close() {
      await mapLimit([...visitors.map((v) => v.s), ...sockets], 50, (s) => s.close());
    },
  };
}

function visitorIndex(vid: string, tag: string): number | null {
  if (!vid.startsWith(`${tag}-`)) return null;
  const g = Number(vid.slice(tag.length + 1));
  return Number.isInteger(g) ? g : null;
}
