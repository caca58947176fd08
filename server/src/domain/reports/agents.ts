// I9 agent performance over the chats created in the range: chats handled,
// first-response time, duration, peak concurrency, satisfaction; and online
// time from agent_status_events (time in any status but 'offline', clipped to
// the range and to now). Only the agent filter applies to online time.
import { requireFilterSql, T } from './query.js';
import type { ReportContext, ViewResult } from './context.js';
import { select, type Row } from './types.js';

/** How far back to look for the status an agent was already in when the range starts. */
export const STATUS_LOOKBACK_DAYS = 30;

interface ChatAgg { k: string; chats: number; avg_first_response_ms: number; avg_duration_ms: number; avg_rating: number; rated: number; transferred: number }

async function agents(ctx: ReportContext): Promise<ViewResult> {
  const f = requireFilterSql('conversation_facts', ctx.q.filters, ctx.params, ctx.report);
  const agentFilter = ctx.q.filters.find((x) => x.key === 'agent');
  const p = { ...ctx.params, now: new Date().toISOString().replace('T', ' ').replace('Z', ''), agents: agentFilter?.values ?? [] };
  const facts = `FROM conversation_facts FINAL WHERE company_id = {company:String} AND agent_id != ''
    AND created_at >= {from:${T}} AND created_at < {to:${T}} AND (${f})`;
  const [chats, conc, online] = await Promise.all([
    select<ChatAgg>(ctx.ch, `SELECT agent_id AS k, count() AS chats, ifNull(avg(first_response_ms), 0) AS avg_first_response_ms,
        avg(duration_ms) AS avg_duration_ms, ifNull(avg(rating), 0) AS avg_rating, count(rating) AS rated, sum(transferred) AS transferred
      ${facts} GROUP BY k WITH TOTALS`, p),
    // Peak simultaneous chats: +1 when assigned (or created), -1 when ended; ends sort first at equal times.
    select<{ k: string; peak: number }>(ctx.ch, `SELECT k, max(running) AS peak FROM (
        SELECT agent_id AS k, sum(delta) OVER (PARTITION BY agent_id ORDER BY t, delta ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
        FROM (SELECT agent_id, arrayJoin([(ifNull(assigned_at, created_at), toInt8(1)), (ended_at, toInt8(-1))]) AS e, e.1 AS t, e.2 AS delta ${facts}))
      GROUP BY k`, p),
    select<{ k: string; ms: number }>(ctx.ch, `SELECT agent_id AS k, sum(greatest(toInt64(0),
          toUnixTimestamp64Milli(least(next_ts, {to:${T}}, {now:${T}})) - toUnixTimestamp64Milli(greatest(ts, {from:${T}})))) AS ms
      FROM (
        SELECT agent_id, ts, status, leadInFrame(ts, 1, {to:${T}}) OVER (PARTITION BY agent_id ORDER BY ts
          ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_ts
        FROM agent_status_events WHERE company_id = {company:String}
          AND ts >= {from:${T}} - INTERVAL ${STATUS_LOOKBACK_DAYS} DAY AND ts < {to:${T}}
          AND (length({agents:Array(String)}) = 0 OR agent_id IN {agents:Array(String)}))
      WHERE status != 'offline' GROUP BY k`, p),
  ]);
  const cm = new Map(chats.data.map((r) => [r.k, r]));
  const pm = new Map(conc.data.map((r) => [r.k, Number(r.peak)]));
  const om = new Map(online.data.map((r) => [r.k, Number(r.ms)]));
  const ids = [...new Set([...cm.keys(), ...om.keys()])].sort();
  const shape = (r: ChatAgg | null | undefined): Row => ({
    chats: Number(r?.chats ?? 0),
    avg_first_response_ms: Number(r?.avg_first_response_ms ?? 0) || 0,
    avg_duration_ms: Number(r?.avg_duration_ms ?? 0) || 0,
    avg_rating: Number(r?.avg_rating ?? 0) || 0,
    rated: Number(r?.rated ?? 0),
    transferred: Number(r?.transferred ?? 0),
  });
  const rows: Row[] = ids.map((id): Row => ({ key: id, ...shape(cm.get(id)), peak_concurrency: pm.get(id) ?? 0, online_ms: om.get(id) ?? 0 }))
    .sort((a, b) => Number(b.chats) - Number(a.chats) || (String(a.key) < String(b.key) ? -1 : 1));
  return {
    title: 'Agents', drill: 'agent', chart: 'bar',
    columns: [
      { key: 'key', label: 'Agent', kind: 'text' },
      { key: 'chats', label: 'Chats handled', kind: 'int' },
      { key: 'avg_first_response_ms', label: 'Avg first response', kind: 'ms' },
      { key: 'avg_duration_ms', label: 'Avg chat duration', kind: 'ms' },
      { key: 'peak_concurrency', label: 'Peak concurrent chats', kind: 'int' },
      { key: 'online_ms', label: 'Online time', kind: 'ms' },
      { key: 'avg_rating', label: 'Avg satisfaction', kind: 'num' },
      { key: 'rated', label: 'Rated chats', kind: 'int' },
      { key: 'transferred', label: 'Transferred', kind: 'int' },
    ],
    rows: rows.slice(0, ctx.q.limit),
    totals: {
      ...shape(chats.totals),
      peak_concurrency: Math.max(0, ...pm.values()),
      online_ms: [...om.values()].reduce((a, b) => a + b, 0),
    },
  };
}

export const agentViews = { agents };
