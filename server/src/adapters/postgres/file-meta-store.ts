// FileMetaStore on Postgres: table `files`, every query inside withCompany().
import type { FileMeta, FileMetaStore, NewFileMeta } from '../../ports/file-meta-store.js';
import { withCompany, type Sql } from './with-company.js';

interface FileRow {
  key: string; thumb_key: string | null; conversation_id: string | null; uploader: 'agent' | 'visitor';
  uploader_id: string; name: string; mime: string; size: number; kind: 'image' | 'file';
  width: number | null; height: number | null; declined: boolean; created_at: Date;
}

const toMeta = (r: FileRow): FileMeta => ({
  key: r.key, thumbKey: r.thumb_key, conversationId: r.conversation_id, uploader: r.uploader,
  uploaderId: r.uploader_id, name: r.name, mime: r.mime, size: r.size, kind: r.kind,
  width: r.width, height: r.height, declined: r.declined, createdAt: r.created_at.getTime(),
});

export class PgFileMetaStore implements FileMetaStore {
  constructor(private readonly sql: Sql) {}

  async insert(companyId: string, m: NewFileMeta): Promise<FileMeta> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<FileRow[]>`
      insert into files (company_id, key, thumb_key, conversation_id, uploader, uploader_id, name, mime, size, kind, width, height)
      values (${companyId}, ${m.key}, ${m.thumbKey}, ${m.conversationId}, ${m.uploader}, ${m.uploaderId}, ${m.name},
              ${m.mime}, ${m.size}, ${m.kind}, ${m.width}, ${m.height})
      returning *`);
    return toMeta(row!);
  }

  async fileMeta(companyId: string, key: string): Promise<FileMeta | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<FileRow[]>`
      select * from files where company_id = ${companyId} and key = ${key}`);
    return row ? toMeta(row) : null;
  }

  async byBlobKey(companyId: string, blobKey: string): Promise<{ meta: FileMeta; thumb: boolean } | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<FileRow[]>`
      select * from files where company_id = ${companyId} and (key = ${blobKey} or thumb_key = ${blobKey}) limit 1`);
    return row ? { meta: toMeta(row), thumb: row.key !== blobKey } : null;
  }

  async decline(companyId: string, key: string): Promise<FileMeta | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<FileRow[]>`
      update files set declined = true where company_id = ${companyId} and key = ${key} returning *`);
    return row ? toMeta(row) : null;
  }
}
