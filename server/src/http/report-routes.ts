// I2–I10 report API. Company and time zone come from the session; the request
// only picks report, view, range, filters (query.ts validates all of it).
//   GET    /api/v1/reports                      catalogue (reports, views, filterable dimensions)
//   GET    /api/v1/reports/funnels              funnel definitions (I6)
//   POST   /api/v1/reports/funnels              { name, steps: ['/a', '/b*'] }
//   DELETE /api/v1/reports/funnels/:id
//   GET    /api/v1/reports/:report?view=&preset=|from=&to=&filter=dim:value&dim2=&funnel=
//   GET    /api/v1/reports/:report/export?format=csv|xlsx&...same
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from 'pino';
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore, Permission } from '../ports/account-store.js';
import { reportCatalog, runReport } from '../domain/reports/catalog.js';
import { toCsv, toXlsx } from '../domain/reports/export.js';
import { deleteFunnel, listFunnels, parseFunnelInput, saveFunnel } from '../domain/reports/goals.js';
import { BadReportRequest, parseReportQuery } from '../domain/reports/query.js';
import { isValidTimeZone } from '../domain/reports/time-range.js';
import { errorBody, json, type HttpRequest, type HttpResponse, type Route } from './types.js';

export interface ReportRouteDeps {
  clickhouse: ClickHouseClient;
  accounts: Pick<AccountStore, 'companyById'>;
  logger: Pick<Logger, 'error'>;
  /** tests pin "today" */
  now?: () => number;
}

export function reportRoutes(deps: ReportRouteDeps): Route[] {
  const now = deps.now ?? Date.now;
  const ch = deps.clickhouse;

  const guarded = (perm: Permission, fn: (req: HttpRequest) => Promise<HttpResponse>) => async (req: HttpRequest): Promise<HttpResponse> => {
    const auth = req.auth!;
    if (auth.role !== 'admin' && !auth.permissions.includes(perm)) {
      return json(403, errorBody(ErrorCode.Forbidden, `needs the ${perm} permission`));
    }
    try {
      return await fn(req);
    } catch (err) {
      if (err instanceof BadReportRequest) return json(400, errorBody(ErrorCode.BadRequest, err.message));
      deps.logger.error({ err, path: req.path }, 'report failed');
      return json(500, errorBody('internal', 'report failed'));
    }
  };

  async function table(req: HttpRequest) {
    const company = await deps.accounts.companyById(req.auth!.companyId);
    const tz = company && isValidTimeZone(company.timeZone) ? company.timeZone : 'UTC';
    const q = parseReportQuery(req.query, tz, now());
    return runReport(ch, req.auth!.companyId, req.params.report ?? '', q);
  }

  return [
    { method: 'GET', path: '/api/v1/reports', auth: 'session', handler: guarded('analytics', async () => json(200, { reports: reportCatalog() })) },
    {
      method: 'GET', path: '/api/v1/reports/funnels', auth: 'session',
      handler: guarded('analytics', async (req) => json(200, { items: await listFunnels(ch, req.auth!.companyId) })),
    },
    {
      method: 'POST', path: '/api/v1/reports/funnels', auth: 'session',
      handler: guarded('analytics', async (req) => json(201, await saveFunnel(ch, req.auth!.companyId, parseFunnelInput(req.body)))),
    },
    {
      method: 'DELETE', path: '/api/v1/reports/funnels/:id', auth: 'session',
      handler: guarded('analytics', async (req) => {
        const id = req.params.id ?? '';
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new BadReportRequest('bad funnel id');
        return (await deleteFunnel(ch, req.auth!.companyId, id))
          ? json(204, undefined) : json(404, errorBody(ErrorCode.NotFound, 'funnel not found'));
      }),
    },
    { method: 'GET', path: '/api/v1/reports/:report', auth: 'session', handler: guarded('analytics', async (req) => json(200, await table(req))) },
    {
      method: 'GET', path: '/api/v1/reports/:report/export', auth: 'session',
      handler: guarded('export', async (req) => {
        const format = req.query.get('format') ?? 'csv';
        if (format !== 'csv' && format !== 'xlsx') throw new BadReportRequest('format must be csv or xlsx');
        const t = await table(req);
        const name = `${t.report}-${t.view}-${t.range.fromDate}_${t.range.toDate}.${format}`;
        const headers = { 'content-disposition': `attachment; filename="${name}"` };
        return format === 'csv'
          ? { status: 200, raw: { contentType: 'text/csv; charset=utf-8', data: toCsv(t) }, headers }
          : { status: 200, raw: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: await toXlsx(t) }, headers };
      }),
    },
  ];
}
