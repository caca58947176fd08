// I6 goal conversion: funnels of page-path steps, defined per company and
// stored in ClickHouse next to the data they measure (report_funnels, created
// by ClickHouse migration 0004; edits and deletes are new versions). A step is an
// exact path, or a prefix when it ends in '*'. Conversion counts the visits
// (page views in the range, grouped by visit) that passed the steps in order,
// via windowFunnel over the visit's page views that match a step.
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { BadReportRequest, requireFilterSql, T } from './query.js';
import type { ReportContext, ViewResult } from './context.js';
import { ratio, select, type Row } from './types.js';

export interface Funnel { id: string; name: string; steps: string[] }

export const MAX_STEPS = 10;
/** Longest a visit may take from first to last step. */
const WINDOW_MS = 86_400_000;

/** Validates a funnel definition from the request body; throws BadReportRequest. */
export function parseFunnelInput(body: unknown): { name: string; steps: string[] } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { name?: unknown; steps?: unknown };
  const name = typeof b.name === 'string' ? b.name.trim() : '';
  if (name.length < 1 || name.length > 100) throw new BadReportRequest('name must be 1..100 characters');
  if (!Array.isArray(b.steps) || b.steps.length < 2 || b.steps.length > MAX_STEPS) {
    throw new BadReportRequest(`steps must be a list of 2..${MAX_STEPS} page paths`);
  }
  const steps = b.steps.map((s) => (typeof s === 'string' ? s.trim() : ''));
  for (const s of steps) {
    if (!/^\/[^\s]{0,499}$/.test(s) || s.slice(0, -1).includes('*')) {
      throw new BadReportRequest(`step "${String(s).slice(0, 60)}" must be a path starting with / (a trailing * matches a prefix)`);
    }
  }
  return { name, steps };
}

export async function listFunnels(ch: ClickHouseClient, companyId: string): Promise<Funnel[]> {
  const res = await select<Funnel>(ch, `SELECT id, name, steps FROM report_funnels FINAL
    WHERE company_id = {company:String} AND deleted = 0 ORDER BY name, id`, { company: companyId });
  return res.data;
}

export async function getFunnel(ch: ClickHouseClient, companyId: string, id: string): Promise<Funnel | null> {
  return (await listFunnels(ch, companyId)).find((f) => f.id === id) ?? null;
}

// Versions must grow even for two writes in one millisecond.
let lastVersion = 0;
const nextVersion = () => (lastVersion = Math.max(Date.now() * 1000, lastVersion + 1));

export async function saveFunnel(ch: ClickHouseClient, companyId: string, input: { name: string; steps: string[] }, id?: string): Promise<Funnel> {
  const funnel = { id: id ?? randomBytes(8).toString('hex'), name: input.name, steps: input.steps };
  await ch.insert({
    table: 'report_funnels', format: 'JSONEachRow',
    values: [{ company_id: companyId, ...funnel, deleted: 0, version: nextVersion() }],
  });
  return funnel;
}

export async function deleteFunnel(ch: ClickHouseClient, companyId: string, id: string): Promise<boolean> {
  const f = await getFunnel(ch, companyId, id);
  if (!f) return false;
  await ch.insert({
    table: 'report_funnels', format: 'JSONEachRow',
    values: [{ company_id: companyId, ...f, deleted: 1, version: nextVersion() }],
  });
  return true;
}

async function funnel(ctx: ReportContext): Promise<ViewResult> {
  if (!ctx.q.funnelId) throw new BadReportRequest('the goals report needs funnel=<id> (see GET /api/v1/reports/funnels)');
  const def = await getFunnel(ctx.ch, ctx.companyId, ctx.q.funnelId);
  if (!def) throw new BadReportRequest(`no funnel ${ctx.q.funnelId} in this company`);
  const f = requireFilterSql('page_views', ctx.q.filters, ctx.params, ctx.report);
  const p: Record<string, unknown> = { ...ctx.params };
  // Conditions are shaped by our stored, validated steps; their text is a parameter.
  const conds = def.steps.map((s, i) => {
    if (s.endsWith('*')) { p[`s${i}`] = s.slice(0, -1); return `startsWith(path, {s${i}:String})`; }
    p[`s${i}`] = s;
    return `path = {s${i}:String}`;
  });
  // windowFunnel skips rows that match no step, so only matching rows are
  // grouped by visit; the visits with any page view are counted on the side.
  const where = `FROM page_views WHERE company_id = {company:String} AND ts >= {from:${T}} AND ts < {to:${T}} AND (${f})`;
  const [res, all] = await Promise.all([
    select<{ level: number; visits: number }>(ctx.ch, `SELECT level, count() AS visits FROM (
        SELECT visit_hash, windowFunnel(${WINDOW_MS})(toUInt64(toUnixTimestamp64Milli(ts)), ${conds.join(', ')}) AS level
        ${where} AND (${conds.join(' OR ')})
        GROUP BY visit_hash)
      WHERE level > 0 GROUP BY level`, p),
    // Exact set of 64-bit hashes, as for visitors (types.ts).
    select<{ n: number }>(ctx.ch, `SELECT uniqExact(visit_hash) AS n ${where}`, p),
  ]);
  const atLevel = new Map(res.data.map((r) => [Number(r.level), Number(r.visits)]));
  const totalVisits = Number(all.data[0]?.n ?? 0);
  const reached = def.steps.map((_, i) => [...atLevel].filter(([l]) => l >= i + 1).reduce((a, [, n]) => a + n, 0));
  const rows: Row[] = def.steps.map((s, i) => ({
    key: `${i + 1}. ${s}`,
    visits: reached[i]!,
    of_first: ratio(reached[i]!, reached[0]!),
    of_previous: i === 0 ? ratio(reached[0]!, totalVisits) : ratio(reached[i]!, reached[i - 1]!),
  }));
  return {
    title: def.name, drill: null, chart: 'funnel',
    columns: [
      { key: 'key', label: 'Step', kind: 'text' },
      { key: 'visits', label: 'Visits reaching step', kind: 'int' },
      { key: 'of_first', label: 'Of step 1', kind: 'pct' },
      { key: 'of_previous', label: 'Of previous step', kind: 'pct' },
    ],
    rows,
    // Totals: all visits with a page view in the range, and end-to-end conversion.
    totals: { visits: totalVisits, of_first: ratio(reached.at(-1)!, reached[0]!), of_previous: ratio(reached.at(-1)!, totalVisits) },
  };
}

export const goalViews = { funnel };
