// CSV and XLSX exports of one report view: the detail rows and the totals row,
// values formatted as in the console (percentages, hh:mm:ss) in CSV; typed
// numbers with number formats in XLSX so Excel can still sum them.
import ExcelJS from 'exceljs';
import type { Cell, Column, ReportTable } from './types.js';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function formatCell(c: Column, v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  switch (c.kind) {
    case 'pct': return `${(v * 100).toFixed(2)}%`;
    case 'ms': return formatDuration(v);
    case 'num': return v.toFixed(2);
    default: return String(v);
  }
}

function csvField(s: string): string {
  // Leading = + - @ would be run as formulas by spreadsheet apps (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const totalsLabel = 'Total';

export function toCsv(t: ReportTable): string {
  const lines = [t.columns.map((c) => csvField(c.label)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvField(formatCell(c, r[c.key] ?? null))).join(','));
  if (t.totals) {
    lines.push(t.columns.map((c, i) => (i === 0 ? totalsLabel : csvField(formatCell(c, t.totals![c.key] ?? null)))).join(','));
  }
  // BOM: Excel opens UTF-8 CSV (Chinese region names) correctly only with it.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

const NUM_FMT: Partial<Record<Column['kind'], string>> = { pct: '0.00%', num: '0.00', int: '0' };

export async function toXlsx(t: ReportTable): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.title.slice(0, 31) || 'Report');
  ws.addRow([`${t.title} (${t.range.fromDate} – ${t.range.toDate}, ${t.range.timeZone})`]).font = { bold: true };
  const head = ws.addRow(t.columns.map((c) => c.label));
  head.font = { bold: true };
  const put = (values: Cell[], bold: boolean) => {
    const row = ws.addRow(values.map((v, i) => {
      const c = t.columns[i]!;
      if (typeof v === 'number' && c.kind === 'ms') return formatDuration(v);
      return v ?? '';
    }));
    t.columns.forEach((c, i) => { const f = NUM_FMT[c.kind]; if (f) row.getCell(i + 1).numFmt = f; });
    if (bold) row.font = { bold: true };
  };
  for (const r of t.rows) put(t.columns.map((c) => r[c.key] ?? null), false);
  if (t.totals) put(t.columns.map((c, i) => (i === 0 ? totalsLabel : (t.totals![c.key] ?? null))), true);
  t.columns.forEach((c, i) => { ws.getColumn(i + 1).width = c.kind === 'text' ? 28 : 14; });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
