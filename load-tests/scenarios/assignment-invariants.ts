// Routing invariants checked on what the server wrote, after a storm: the
// assignment_log when the router fills it, else the conversations table.
//  - one agent per chat (no chat assigned to two agents);
//  - no agent over its cap (max_chats) at any instant;
//  - FIFO: no chat assigned before an older one that was still waiting.
import postgres from 'postgres';

export interface InvariantReport {
  source: 'assignment_log' | 'conversations';
  conversations: number;
  assigned: number;
  twoAgents: number;
  overCap: number;
  maxConcurrentSeen: number;
  fifoInversions: number;
}

interface Span { conv: string; agent: string; created: number; assigned: number; ended: number }

export async function checkInvariants(ownerUrl: string, companyId: string): Promise<InvariantReport> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const convs = await sql<{ id: string; agent_id: string | null; created_at: Date; assigned_at: Date | null; ended_at: Date | null }[]>`
      select id, agent_id, created_at, assigned_at, ended_at from conversations where company_id = ${companyId}`;
    const caps = new Map((await sql<{ id: string; max_chats: number }[]>`select id, max_chats from agents where company_id = ${companyId}`).map((a) => [a.id, a.max_chats]));
    const log = await sql<{ conversation_id: string; agent_id: string | null; event: string; at: Date }[]>`
      select conversation_id, agent_id, event, at from assignment_log where company_id = ${companyId} order by at, id`;
    const created = new Map(convs.map((c) => [c.id, c.created_at.getTime()]));
    const spans: Span[] = [];
    let twoAgents = 0;
    let source: InvariantReport['source'] = 'conversations';
    if (log.length > 0) {
      source = 'assignment_log';
      // Event names belong to the router; read them by intent.
      const agentsOf = new Map<string, Set<string>>();
      const open = new Map<string, Span>();
      for (const e of log) {
        const at = e.at.getTime();
        if (e.agent_id && /assign|accept/.test(e.event) && !/unassign/.test(e.event)) {
          (agentsOf.get(e.conversation_id) ?? agentsOf.set(e.conversation_id, new Set()).get(e.conversation_id)!).add(e.agent_id);
          const s: Span = { conv: e.conversation_id, agent: e.agent_id, created: created.get(e.conversation_id) ?? at, assigned: at, ended: Infinity };
          open.set(e.conversation_id, s);
          spans.push(s);
        } else if (/end|close|release|unassign|transfer|timeout/.test(e.event)) {
          const s = open.get(e.conversation_id);
          if (s) { s.ended = at; open.delete(e.conversation_id); }
        }
      }
      for (const set of agentsOf.values()) if (set.size > 1) twoAgents++;
    } else {
      for (const c of convs) {
        if (!c.agent_id || !c.assigned_at) continue;
        spans.push({ conv: c.id, agent: c.agent_id, created: c.created_at.getTime(), assigned: c.assigned_at.getTime(), ended: c.ended_at?.getTime() ?? Infinity });
      }
    }
    // Cap: sweep starts and ends per agent; at equal instants, ends first.
    const byAgent = new Map<string, Array<[number, number]>>();
    for (const s of spans) {
      const ev = byAgent.get(s.agent) ?? byAgent.set(s.agent, []).get(s.agent)!;
      ev.push([s.assigned, 1], [s.ended, -1]);
    }
    let overCap = 0;
    let maxConcurrentSeen = 0;
    for (const [agent, ev] of byAgent) {
      ev.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let n = 0;
      let over = false;
      for (const [, d] of ev) {
        n += d;
        maxConcurrentSeen = Math.max(maxConcurrentSeen, n);
        if (n > (caps.get(agent) ?? Infinity)) over = true;
      }
      if (over) overCap++;
    }
    // FIFO: in creation order, a chat assigned earlier than some older chat that
    // was still waiting (not assigned yet) jumped the queue.
    const ordered = [...spans].sort((x, y) => x.created - y.created);
    let fifoInversions = 0;
    let latestAssignedOfOlder = -Infinity;
    for (const s of ordered) {
      if (s.assigned < latestAssignedOfOlder) fifoInversions++;
      latestAssignedOfOlder = Math.max(latestAssignedOfOlder, s.assigned);
    }
    return { source, conversations: convs.length, assigned: spans.length, twoAgents, overCap, maxConcurrentSeen, fifoInversions };
  } finally {
    await sql.end();
  }
}
