// E6 common files (常用文件) over REST: the company's list, upload and removal.
import type { Attachment } from '../../../protocol/schema-common';
import { request } from './http';
import { uploadRaw } from './upload';

export type CommonFile = Attachment & { createdAt: number; createdBy: string };

export const listCommonFiles = () => request<{ items: CommonFile[] }>('GET', '/api/v1/common-files');
export const uploadCommonFile = (file: File) =>
  uploadRaw<{ item: CommonFile }>(`/api/v1/common-files?name=${encodeURIComponent(file.name)}`, file);
export const deleteCommonFile = (key: string) => request<void>('DELETE', `/api/v1/common-files/${encodeURIComponent(key)}`);

/** The bytes of a common file, as a File to upload into a chat. */
export async function fetchCommonFile(f: CommonFile): Promise<File> {
  const res = await fetch(`/api/v1/files/${encodeURIComponent(f.key)}`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new File([await res.blob()], f.name, { type: f.mime });
}
