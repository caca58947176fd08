// FileStore on local disk: <root>/<companyId>/<key[0..1]>/<key>. Keys and company
// ids are checked against strict patterns before they touch a path, and blobs
// are written to a temporary name then renamed, so a reader never sees half a file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FILE_KEY, type FileStore } from '../../ports/file-store.js';

const COMPANY_ID = /^[0-9]{8}$/;

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  private pathFor(companyId: string, key: string): string {
    if (!COMPANY_ID.test(companyId)) throw new Error('bad company id for file store');
    if (!FILE_KEY.test(key)) throw new Error('bad file key');
    return path.join(this.root, companyId, key.slice(0, 2), key);
  }

  async put(companyId: string, key: string, data: Uint8Array): Promise<void> {
    const file = this.pathFor(companyId, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
    await fs.rename(tmp, file);
  }

  async get(companyId: string, key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.pathFor(companyId, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(companyId: string, key: string): Promise<void> {
    await fs.rm(this.pathFor(companyId, key), { force: true });
  }

  async close(): Promise<void> {}
}
