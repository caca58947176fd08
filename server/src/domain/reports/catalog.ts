// The report catalogue: report → views, each a function of a ReportContext.
// Report and view names are looked up here; anything else is a 400.
import type { ClickHouseClient } from '@clickhouse/client';
import { agentViews } from './agents.js';
import { chatViews } from './chats.js';
import type { ViewFn } from './context.js';
import { dimensionsOf, type FactTable } from './dimensions.js';
import { goalViews } from './goals.js';
import { BadReportRequest, baseParams, type ReportQuery } from './query.js';
import { contentViews, loyaltyViews, overviewViews, SECOND_DIMENSIONS, sourceViews, visitorViews } from './traffic.js';
import type { ReportTable } from './types.js';

interface ReportDef { title: string; table: FactTable; views: Record<string, ViewFn>; dim2?: string[] }

export const REPORTS: Record<string, ReportDef> = {
  overview: { title: 'Overview', table: 'visits', views: overviewViews },
  sources: { title: 'Traffic sources', table: 'visits', views: sourceViews, dim2: Object.keys(SECOND_DIMENSIONS) },
  loyalty: { title: 'Loyalty', table: 'visits', views: loyaltyViews },
  content: { title: 'Content', table: 'visits', views: contentViews },
  goals: { title: 'Goal conversion', table: 'page_views', views: goalViews },
  visitors: { title: 'Visitor info', table: 'visits', views: visitorViews },
  chats: { title: 'Chats & messages', table: 'conversation_facts', views: chatViews },
  agents: { title: 'Agents', table: 'conversation_facts', views: agentViews },
};

/** What the console needs to draw its menus. */
export function reportCatalog() {
  return Object.entries(REPORTS).map(([key, r]) => ({
    key, title: r.title, views: Object.keys(r.views), dim2: r.dim2 ?? [], filters: dimensionsOf(r.table),
  }));
}

export async function runReport(ch: ClickHouseClient, companyId: string, report: string, q: ReportQuery): Promise<ReportTable> {
  const def = Object.hasOwn(REPORTS, report) ? REPORTS[report]! : null;
  if (!def) throw new BadReportRequest(`unknown report "${report.slice(0, 40)}"; one of ${Object.keys(REPORTS).join(', ')}`);
  const view = q.view ?? Object.keys(def.views)[0]!;
  const fn = Object.hasOwn(def.views, view) ? def.views[view] : undefined;
  if (!fn) throw new BadReportRequest(`unknown view "${view.slice(0, 40)}" for ${report}; one of ${Object.keys(def.views).join(', ')}`);
  if (q.dim2 !== null && !def.dim2) throw new BadReportRequest(`the ${report} report has no second dimension`);
  const out = await fn({ ch, companyId, report, q, params: baseParams(companyId, q) });
  const { from, to, fromDate, toDate, timeZone } = q.range;
  return { report, view, ...out, range: { from, to, fromDate, toDate, timeZone } };
}
