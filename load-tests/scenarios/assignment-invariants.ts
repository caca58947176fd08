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

interface Span { conv: string; agent: string; created: number; assigned: number; ended: number; ticket?: number; scope?: string }

export async function checkInvariants(ownerUrl: string, companyId: string): Promise<InvariantReport> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const convs = await sql<{ id: string; agent_id: string | null; created_at: Date; assigned_at: Date | null; ended_at: Date | null }[]>`
      select id, agent_id, created_at, assigned_at, ended_at from conversations where company_id = ${companyId} and visitor_id not like 'history-%'`;
    const caps = new Map((await sql<{ id: string; max_chats: number }[]>`select id, max_chats from agents where company_id = ${companyId}`).map((a) => [a.id, a.max_chats]));
    // The router numbers its decisions (strictly increasing, also across restarts) and
    // stamps each assignment with the chat's ticket (its arrival at the router): the
    // timeline and FIFO are read from those, not from commit times, which concurrent
    // transactions can reorder. Rows without them (older logs) fall back to `at`.
    const log = await sql<{ conversation_id: string; agent_id: string | null; event: string; at: Date; decision: string | null; ticket: number | null; scope: string | null }[]>`
      select conversation_id, agent_id, event, at, decision, ticket, scope from assignment_log where company_id = ${companyId} order by decision nulls last, at, id`;
    const byDecision = log.length > 0 && log.every((e) => e.decision !== null);
    const created = new Map(convs.map((c) => [c.id, c.created_at.getTime()]));
    const spans: Span[] = [];
    let twoAgents = 0;
    let source: InvariantReport['source'] = 'conversations';
    if (log.length > 0) {
      source = 'assignment_log';
      // Event names belong to the router; read them by intent.
      const agentsOf = new Map<string, Set<string>>();
      const open = new Map<string, Span>();
      const seen = new Set<string>();
      for (const e of log) {
        const at = byDecision ? Number(e.decision) : e.at.getTime();
        if (e.agent_id && /assign|accept/.test(e.event) && !/unassign/.test(e.event)) {
          (agentsOf.get(e.conversation_id) ?? agentsOf.set(e.conversation_id, new Set()).get(e.conversation_id)!).add(e.agent_id);
          const first = !seen.has(e.conversation_id);
          seen.add(e.conversation_id);
          const s: Span = {
            conv: e.conversation_id, agent: e.agent_id, created: created.get(e.conversation_id) ?? at, assigned: at, ended: Infinity,
            ...(byDecision && first && e.ticket !== null ? { ticket: e.ticket, scope: e.scope ?? 'company' } : {}),
          };
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
    // With router tickets: per scope, in ticket (arrival) order, a first assignment
    // decided before that of an older chat. Without: creation order and commit times.
    let fifoInversions = 0;
    const lines = new Map<string, Span[]>();
    const ticketed = spans.some((s) => s.ticket !== undefined);
    for (const s of spans) {
      if (ticketed && s.ticket === undefined) continue; // a transfer or takeover, not a queue decision
      const key = ticketed ? s.scope! : '';
      (lines.get(key) ?? lines.set(key, []).get(key)!).push(s);
    }
    for (const line of lines.values()) {
      line.sort((x, y) => (ticketed ? x.ticket! - y.ticket! : x.created - y.created));
      let latestAssignedOfOlder = -Infinity;
      for (const s of line) {
        if (s.assigned < latestAssignedOfOlder) fifoInversions++;
        latestAssignedOfOlder = Math.max(latestAssignedOfOlder, s.assigned);
      }
    }
    return { source, conversations: convs.length, assigned: spans.length, twoAgents, overCap, maxConcurrentSeen, fifoInversions };
  } finally {
    await sql.end();
  }
}
