// On-disk spool for batches ClickHouse did not take. One directory per table, one
// NDJSON file per batch, named `<seq>.<rows>.<batchId>.ndjson` so the order, the
// row count and the dedup token survive a restart without reading the files.
// A file is written as .tmp, fsynced, renamed, and the directory fsynced: after a
// crash a batch is either wholly present or absent (a leftover .tmp was never
// acknowledged by flush(), and is removed).
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolEntry {
  seq: number;
  rows: number;
  id: string;
  file: string;
}

const NAME = /^(\d{12})\.(\d+)\.([0-9a-z-]+)\.ndjson$/;

export class TableSpool {
  readonly dir: string;
  /** Oldest first. */
  readonly entries: SpoolEntry[] = [];
  private nextSeq = 1;

  constructor(root: string, readonly table: string) {
    this.dir = join(root, table);
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) {
        unlinkSync(join(this.dir, name));
        continue;
      }
      const m = NAME.exec(name);
      if (!m) continue;
      this.entries.push({ seq: Number(m[1]), rows: Number(m[2]), id: m[3]!, file: name });
    }
    this.entries.sort((a, b) => a.seq - b.seq);
    this.nextSeq = (this.entries.at(-1)?.seq ?? 0) + 1;
  }

  get rows(): number {
    let n = 0;
    for (const e of this.entries) n += e.rows;
    return n;
  }

  async append(id: string, rows: number, body: string): Promise<SpoolEntry> {
    const seq = this.nextSeq++;
    const file = `${String(seq).padStart(12, '0')}.${rows}.${id}.ndjson`;
    const tmp = join(this.dir, `${file}.tmp`);
    await mkdir(this.dir, { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, file));
    await syncDir(this.dir);
    const entry = { seq, rows, id, file };
    this.entries.push(entry);
    return entry;
  }

  read(entry: SpoolEntry): Promise<string> {
    return readFile(join(this.dir, entry.file), 'utf8');
  }

  /** Removes the oldest entry once ClickHouse holds it (or it was dead-lettered). */
  async shift(entry: SpoolEntry): Promise<void> {
    if (this.entries[0] !== entry) throw new Error('spool entries must be removed oldest first');
    await unlink(join(this.dir, entry.file));
    this.entries.shift();
  }
}

/** Batches ClickHouse rejected as malformed: kept for inspection, never retried. */
export async function deadLetter(root: string, table: string, id: string, body: string): Promise<string> {
  const dir = join(root, '_dead', table);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${Date.now()}.${id}.ndjson`);
  const fh = await open(file, 'w');
  try {
    await fh.writeFile(body);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return file;
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
