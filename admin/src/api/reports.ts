// Report API client (I2–I10). Exports are plain links: the browser downloads
// them with the session cookie (GET, so no CSRF header is needed).
import { request } from './http';

export type ColumnKind = 'text' | 'int' | 'pct' | 'ms' | 'num';
export interface Column { key: string; label: string; kind: ColumnKind }
export type Cell = string | number | null;
export type Row = Record<string, Cell>;
export interface ReportTable {
  report: string; view: string; title: string; drill: string | null; chart: 'bar' | 'line' | 'pie' | 'funnel';
  columns: Column[]; rows: Row[]; totals: Row | null;
  range: { from: number; to: number; fromDate: string; toDate: string; timeZone: string };
}
export interface CatalogEntry { key: string; title: string; views: string[]; dim2: string[]; filters: string[] }
export interface Funnel { id: string; name: string; steps: string[] }

export interface ReportParams {
  view: string;
  preset?: string;
  from?: string;
  to?: string;
  dim2?: string;
  funnel?: string;
  filters: Array<{ key: string; value: string }>;
}

export function reportQuery(p: ReportParams): URLSearchParams {
  const q = new URLSearchParams({ view: p.view });
  if (p.from && p.to) { q.set('from', p.from); q.set('to', p.to); } else q.set('preset', p.preset ?? 'today');
  if (p.dim2) q.set('dim2', p.dim2);
  if (p.funnel) q.set('funnel', p.funnel);
  for (const f of p.filters) q.append('filter', `${f.key}:${f.value}`);
  return q;
}

export const reportCatalog = () => request<{ reports: CatalogEntry[] }>('GET', '/api/v1/reports');

export function fetchReport(report: string, p: ReportParams): Promise<ReportTable> {
  return request<ReportTable>('GET', `/api/v1/reports/${encodeURIComponent(report)}?${reportQuery(p)}`);
}

export function exportUrl(report: string, p: ReportParams, format: 'csv' | 'xlsx'): string {
  const q = reportQuery(p);
  q.set('format', format);
  return `/api/v1/reports/${encodeURIComponent(report)}/export?${q}`;
}

export const listFunnels = () => request<{ items: Funnel[] }>('GET', '/api/v1/reports/funnels');
export const createFunnel = (name: string, steps: string[]) => request<Funnel>('POST', '/api/v1/reports/funnels', { body: { name, steps } });
export const deleteFunnel = (id: string) => request<void>('DELETE', `/api/v1/reports/funnels/${encodeURIComponent(id)}`);

export function formatCell(kind: ColumnKind, v: Cell): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '(none)' : v;
  if (kind === 'pct') return `${(v * 100).toFixed(2)}%`;
  if (kind === 'num') return v.toFixed(2);
  if (kind === 'ms') {
    const s = Math.round(v / 1000);
    const p2 = (n: number) => String(n).padStart(2, '0');
    return `${p2(Math.floor(s / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
  }
  return v.toLocaleString();
}
