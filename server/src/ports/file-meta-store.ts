// Metadata of uploaded files (E2/E3): who sent what into which conversation.
// The chat layer attaches files to messages by key and reads them back with
// fileMeta(companyId, key). Every method is scoped to a company.
import type { FileKind } from '../domain/files/magic.js';

export interface FileMeta {
  key: string;
  /** key of the thumbnail blob (images only) */
  thumbKey: string | null;
  conversationId: string | null;
  uploader: 'agent' | 'visitor';
  /** agent id or visitor id */
  uploaderId: string;
  /** sanitised display name (domain/files/names.ts) */
  name: string;
  mime: string;
  size: number;
  kind: FileKind;
  width: number | null;
  height: number | null;
  /** an agent refused this visitor file; it is no longer served */
  declined: boolean;
  createdAt: number;
}

export type NewFileMeta = Omit<FileMeta, 'declined' | 'createdAt'>;

export interface FileMetaStore {
  insert(companyId: string, meta: NewFileMeta): Promise<FileMeta>;
  /** The file whose key is `key`, or null. */
  fileMeta(companyId: string, key: string): Promise<FileMeta | null>;
  /** The file whose original or thumbnail is stored under `blobKey`. */
  byBlobKey(companyId: string, blobKey: string): Promise<{ meta: FileMeta; thumb: boolean } | null>;
  /** Marks declined; returns the updated row, or null when there is none. */
  decline(companyId: string, key: string): Promise<FileMeta | null>;
}
