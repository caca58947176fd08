// E6 common files (常用文件): files of the company that any agent sends into a
// chat with one click. Holders of `canned_responses` (and the admin) upload and
// remove them; every agent lists and downloads them. The bytes and the file row
// go through the same upload path as chat files (type by magic bytes, size limit,
// thumbnails), only with no conversation; the list is the company setting
// `commonFiles`. Sending one copies it into the chat as the agent's own upload
// (the console downloads it and posts it to /files?conversationId=), so the
// visitor only ever reads files of their own conversations.
import type { AccountStore } from '../ports/account-store.js';
import type { FileStore } from '../ports/file-store.js';
import type { FileMetaStore } from '../ports/file-meta-store.js';
import { DEFAULT_LIMITS, type UploadLimits } from '../domain/files/prepare.js';
import { KeyedSerial } from '../runtime/keyed-serial.js';
import { publicFile, saveUpload } from './file-routes.js';
import { bad, can, forbidden, notFound } from './tool-route-helpers.js';
import { json, type Route } from './types.js';

export interface CommonFileDeps {
  accounts: AccountStore;
  files: FileStore;
  meta: FileMetaStore;
  limits?: UploadLimits;
}

export type CommonFile = ReturnType<typeof publicFile> & { createdAt: number; createdBy: string };

const SETTING = 'commonFiles';
export const MAX_COMMON_FILES = 50;

function stored(raw: unknown): CommonFile[] {
  return Array.isArray(raw) ? raw.filter((f): f is CommonFile => typeof f === 'object' && f !== null && typeof (f as CommonFile).key === 'string') : [];
}

export function commonFileRoutes(deps: CommonFileDeps): Route[] {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  // One change of a company's list at a time: the list is read, changed and written back.
  const serial = new KeyedSerial();
  const list = async (companyId: string) => stored(await deps.accounts.companySetting(companyId, SETTING));
  const denied = () => forbidden('common files need the canned_responses permission');

  return [
    {
      method: 'GET', path: '/api/v1/common-files', auth: 'session',
      handler: async (req) => json(200, { items: await list(req.auth!.companyId) }),
    },
    {
      method: 'POST', path: '/api/v1/common-files', auth: 'session', body: 'raw', maxBodyBytes: limits.maxBytes,
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'canned_responses')) return denied();
        return serial.run(auth.companyId, async () => {
          const items = await list(auth.companyId);
          if (items.length >= MAX_COMMON_FILES) return bad(`at most ${MAX_COMMON_FILES} common files`);
          const meta = await saveUpload(deps, limits, auth.companyId, req, { uploader: 'agent', id: auth.agentId, conversationId: null });
          const item: CommonFile = { ...publicFile(meta), createdAt: meta.createdAt, createdBy: auth.agentId };
          await deps.accounts.setCompanySetting(auth.companyId, SETTING, [...items, item]);
          return json(201, { item });
        });
      },
    },
    {
      method: 'DELETE', path: '/api/v1/common-files/:key', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'canned_responses')) return denied();
        const key = req.params.key ?? '';
        return serial.run(auth.companyId, async () => {
          const items = await list(auth.companyId);
          const gone = items.find((f) => f.key === key);
          if (!gone) return notFound('common file');
          await deps.accounts.setCompanySetting(auth.companyId, SETTING, items.filter((f) => f !== gone));
          // Copies already sent into chats are files of their own and stay.
          await deps.files.delete(auth.companyId, gone.key).catch(() => {});
          if (gone.thumbKey) await deps.files.delete(auth.companyId, gone.thumbKey).catch(() => {});
          return { status: 204 };
        });
      },
    },
  ];
}
