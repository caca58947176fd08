// Scenario b, coordinator side: one company, `agents` agents, `requests` chat
// requests at `rate`/s split over load parts; then the invariants on the
// server's own records.
import { all, startParts } from '../lib/pool.js';
import { merge, summarize, type LatencySummary } from '../lib/hdr.js';
import { createLoadCompanies } from '../lib/fixtures.js';
import type { AssignmentReport } from './assignment-part.js';
import { checkInvariants, type InvariantReport } from './assignment-invariants.js';
import { withOwnerSql } from '../lib/owner-sql.js';

export interface AssignmentOptions {
  rate: number;
  requests: number;
  agents: number;
  maxChats: number;
  holdMs: number;
  parts: number;
  drainMs: number;
  tag: string;
  /** the router assigns by itself (auto-assignment, auto-accept) instead of agents accepting from queue.snapshot */
  autoAssign?: boolean;
  /** ended chats of the company written (and the database analyzed) before the storm; default `requests` */
  historyChats?: number;
}

export interface AssignmentResult {
  rate: number;
  requested: number;
  assigned: number;
  ended: number;
  errors: number;
  firstError?: string;
  mode: 'auto' | 'manual accept';
  latency: LatencySummary;
  maxGeneratorLagMs: number;
  /** visitors told of two different agents for one chat */
  doubleAssignedSeen: number;
  /** the server's records disagree with what visitors were told */
  mismatchedAgent: number;
  invariants: InvariantReport;
}

export async function runAssignment(target: { url: string; ownerUrl: string }, opts: AssignmentOptions, log: (s: string) => void = () => {}): Promise<AssignmentResult> {
  const [company] = await createLoadCompanies(target.ownerUrl, { companies: 1, agentsPerCompany: opts.agents, maxChats: opts.maxChats, tag: opts.tag, autoAssign: opts.autoAssign ?? false });
  await seedHistory(target.ownerUrl, company!.companyId, opts.historyChats ?? opts.requests);
  const nParts = Math.max(1, opts.parts);
  log(`assignment: ${opts.agents} agents, ${opts.requests} visitors in ${nParts} part(s), ${opts.autoAssign ? 'auto-assignment' : 'manual accept'}`);
  const inputs = Array.from({ length: nParts }, (_, p) => ({
    url: target.url, publicKey: company!.publicKey, agents: company!.agents, part: p, parts: nParts, total: opts.requests,
    maxChats: opts.maxChats, holdMs: opts.holdMs, tag: `st${opts.tag}`, autoAssign: opts.autoAssign ?? false,
  }));
  const parts = await startParts('assignment', inputs, opts.parts === 0);
  let reports: AssignmentReport[];
  try {
    reports = await all<AssignmentReport>(parts, 'storm', { rate: opts.rate / nParts, startAtMs: Date.now() + 500, drainMs: opts.drainMs });
  } finally {
    await Promise.all(parts.map((p) => p.close()));
  }
  const sum = (k: 'requested' | 'assigned' | 'ended' | 'errors' | 'autoAssigned' | 'doubleAssigned') => reports.reduce((a, r) => a + r[k], 0);
  const h = merge(reports.map((r) => r.latency));
  const latency = summarize(h);
  h.destroy();
  const invariants = await checkInvariants(target.ownerUrl, company!.companyId);
  // Cross-check: the agent each visitor was told must be the one the server stored.
  const told = Object.assign({}, ...reports.map((r) => r.assignedTo)) as Record<string, string>;
  const mismatchedAgent = await countMismatches(target.ownerUrl, company!.companyId, told);
  const result: AssignmentResult = {
    rate: opts.rate, requested: sum('requested'), assigned: sum('assigned'), ended: sum('ended'), errors: sum('errors'),
    mode: sum('autoAssigned') > 0 ? 'auto' : 'manual accept', latency,
    maxGeneratorLagMs: Math.max(...reports.map((r) => r.maxGeneratorLagMs)), doubleAssignedSeen: sum('doubleAssigned'), mismatchedAgent, invariants,
  };
  const firstError = reports.find((r) => r.firstError)?.firstError;
  if (firstError) result.firstError = firstError;
  log(`assignment: ${result.assigned}/${result.requested} assigned, p99 ${latency.p99} ms, mode ${result.mode}, invariants ${JSON.stringify(invariants)}`);
  return result;
}

async function countMismatches(ownerUrl: string, companyId: string, told: Record<string, string>): Promise<number> {
  const rows = await withOwnerSql(ownerUrl, (sql) => sql<{ id: string; agent_id: string | null }[]>`select id, agent_id from conversations where company_id = ${companyId}`);
  return rows.filter((r) => told[r.id] !== undefined && told[r.id] !== r.agent_id).length;
}

/**
 * A running deployment has chats behind it and planner statistics. A database made
 * a minute ago has neither: every conversation is created during the storm, and
 * without statistics Postgres probes a conversation by id (under RLS, which adds
 * company_id = …) or checks a message's foreign key through an index on company_id,
 * walking all of the company's conversations, a walk that grows with the storm.
 * ANALYZE on the empty tables makes it a sequential scan instead. So the storm runs
 * on a database that already holds `n` ended chats of the company (visitor ids
 * `history-…`, no assignment_log rows, so the invariants do not see them), analyzed.
 */
async function seedHistory(ownerUrl: string, companyId: string, n: number): Promise<void> {
  await withOwnerSql(ownerUrl, async (sql) => {
    await sql`insert into conversations (company_id, id, visitor_id, visitor_name, state, created_at, ended_at, ended_by, last_seq)
              select ${companyId}, 'history-' || g, 'history-' || g, 'History', 'ended', now() - interval '1 day', now() - interval '1 day', 'visitor', 1
                from generate_series(1, ${n}) g`;
    await sql`insert into messages (company_id, conversation_id, seq, sender, text)
              select ${companyId}, 'history-' || g, 1, 'visitor', 'history' from generate_series(1, ${n}) g`;
    await sql`analyze`;
  });
}
