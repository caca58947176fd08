// CSV for canned-response import/export (E5): header "category,title,text",
// RFC 4180 quoting, UTF-8 with BOM on export so Excel opens Chinese text.
// Cells that a spreadsheet would run as a formula get a leading apostrophe.

export interface CsvRow { category: string; title: string; text: string }

const FORMULA = /^[=+\-@\t\r]/;

function cell(v: string): string {
  const safe = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: CsvRow[]): string {
  return '\uFEFF' + ['category,title,text', ...rows.map((r) => [r.category, r.title, r.text].map(cell).join(','))].join('\r\n') + '\r\n';
}

/** Parses RFC 4180 text into records; throws on an unterminated quote. */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); records.push(row); row = []; field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) { row.push(field); records.push(row); }
  return records.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Rows under a "category,title,text" header (column order from the header); throws with a line number. */
export function readCannedCsv(input: string): CsvRow[] {
  const [header, ...records] = parseCsv(input);
  if (!header) return [];
  const idx = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [ci, ti, xi] = [idx('category'), idx('title'), idx('text')];
  if (ci < 0 || xi < 0) throw new Error('the first line must name the columns category,title,text');
  return records.map((r, n) => {
    const unformula = (s: string) => (s.startsWith("'") && FORMULA.test(s.slice(1)) ? s.slice(1) : s);
    const row = { category: unformula((r[ci] ?? '').trim()), title: unformula((ti < 0 ? '' : r[ti] ?? '').trim()), text: unformula((r[xi] ?? '').trim()) };
    if (!row.category || !row.text) throw new Error(`line ${n + 2}: category and text are required`);
    return row;
  });
}
