// F1 agent-to-agent chat (客服对话) over REST, with live delivery as the
// `agentchat.message` frame to the recipient and to the sender's other tabs.
// Any agent may chat with any colleague of the same company; the company and
// the sender come from the session, the other agent from the path (unknown or
// another company's id = 404). Files are uploaded first (POST
// /api/v1/agent-chat/files, no conversation) and sent by key.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AgentStatus } from '../../../protocol/codes.js';
import type { AgentOut } from '../../../protocol/agent-frames.js';
import type { AccountStore } from '../ports/account-store.js';
import type { AgentChatFile, AgentChatStore } from '../ports/agent-chat-store.js';
import { FILE_KEY, newFileKey, type FileStore } from '../ports/file-store.js';
import type { FileMetaStore } from '../ports/file-meta-store.js';
import { DEFAULT_LIMITS, prepareUpload } from '../domain/files/prepare.js';
import { publicFile } from './file-routes.js';
import { bad, FieldError, notFound, readBody, str } from './tool-route-helpers.js';
import { errorBody, json, type Route } from './types.js';

export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MAX_TEXT = 4000;

export interface AgentChatDeps {
  store: AgentChatStore;
  accounts: AccountStore;
  files: FileStore;
  meta: FileMetaStore;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  /** live status from the runtime; absent = statuses unknown */
  presence?: (companyId: string, agentId: string) => AgentStatus;
}

export function agentChatRoutes(deps: AgentChatDeps): Route[] {
  /** The colleague named by the path, or null (404) when not this company's. */
  async function colleague(companyId: string, id: string | undefined) {
    if (!id || !AGENT_ID.test(id)) return null;
    return deps.accounts.agent(companyId, id);
  }

  return [
    {
      method: 'GET', path: '/api/v1/agent-chat/contacts', auth: 'session',
      handler: async (req) => {
        const { companyId, agentId } = req.auth!;
        const contacts = await deps.store.contacts(companyId, agentId);
        const status = deps.presence;
        // An invisible admin (B1) looks offline to everyone but admins.
        const seen = (id: string): AgentStatus => {
          const st = status!(companyId, id);
          return st === 'invisible' && req.auth!.role !== 'admin' ? 'offline' : st;
        };
        return json(200, {
          presence: Boolean(status),
          contacts: contacts.map((c) => ({ ...c, status: c.disabled ? 'offline' : status ? seen(c.id) : null })),
        });
      },
    },
    {
      method: 'GET', path: '/api/v1/agent-chat/unread', auth: 'session',
      handler: async (req) => json(200, { unread: await deps.store.unreadTotal(req.auth!.companyId, req.auth!.agentId) }),
    },
    {
      method: 'GET', path: '/api/v1/agent-chat/threads/:agentId', auth: 'session',
      handler: async (req) => {
        const { companyId, agentId } = req.auth!;
        const other = await colleague(companyId, req.params.agentId);
        if (!other) return notFound('agent');
        const before = req.query.get('beforeId');
        if (before !== null && !/^[1-9][0-9]{0,15}$/.test(before)) return bad('beforeId must be a message id');
        const messages = await deps.store.thread(companyId, agentId, other.id, { limit: 100, ...(before ? { beforeId: Number(before) } : {}) });
        return json(200, { messages });
      },
    },
    {
      method: 'POST', path: '/api/v1/agent-chat/threads/:agentId/messages', auth: 'session',
      handler: async (req) => {
        const { companyId, agentId } = req.auth!;
        const other = await colleague(companyId, req.params.agentId);
        if (!other) return notFound('agent');
        if (other.id === agentId) return bad('cannot message yourself');
        const r = readBody(req.body, (b) => {
          const text = str(b, 'text', MAX_TEXT);
          const fileKey = b.fileKey;
          if (fileKey !== undefined && (typeof fileKey !== 'string' || !FILE_KEY.test(fileKey))) throw new FieldError('fileKey must be an uploaded file key');
          if (!text && fileKey === undefined) throw new FieldError('send text or a file');
          return { text, fileKey: fileKey as string | undefined };
        });
        if ('error' in r) return r.error;
        if (other.disabled) return json(409, errorBody(ErrorCode.Conflict, 'agent is disabled'));
        let file: AgentChatFile | null = null;
        if (r.value.fileKey) {
          const m = await deps.meta.fileMeta(companyId, r.value.fileKey);
          // Only my own internal upload: a visitor's file or a colleague's stays where it was sent.
          if (!m || m.uploader !== 'agent' || m.uploaderId !== agentId || m.conversationId !== null) return notFound('file');
          file = { key: m.key, name: m.name, size: m.size, mime: m.mime, kind: m.kind === 'image' ? 'image' : 'file' };
        }
        const message = await deps.store.send(companyId, { from: agentId, to: other.id, text: r.value.text, file });
        const frame: AgentOut = { v: 1, type: 'agentchat.message', message };
        deps.toAgent(companyId, other.id, frame);
        deps.toAgent(companyId, agentId, frame);
        return json(201, { message });
      },
    },
    {
      method: 'POST', path: '/api/v1/agent-chat/threads/:agentId/read', auth: 'session',
      handler: async (req) => {
        const { companyId, agentId } = req.auth!;
        const other = await colleague(companyId, req.params.agentId);
        if (!other) return notFound('agent');
        return json(200, { read: await deps.store.markRead(companyId, agentId, other.id) });
      },
    },
    {
      // Same checks as POST /api/v1/files (size, magic bytes, image re-encode), but no conversation.
      method: 'POST', path: '/api/v1/agent-chat/files', auth: 'session', body: 'raw', maxBodyBytes: DEFAULT_LIMITS.maxBytes,
      handler: async (req) => {
        const { companyId, agentId } = req.auth!;
        const prepared = await prepareUpload(req.rawBody ?? Buffer.alloc(0), (req.query.get('name') ?? '').slice(0, 1024));
        const key = newFileKey();
        const thumbKey = prepared.thumb ? newFileKey() : null;
        await deps.files.put(companyId, key, prepared.data);
        try {
          if (thumbKey) await deps.files.put(companyId, thumbKey, prepared.thumb!.data);
          const meta = await deps.meta.insert(companyId, {
            key, thumbKey, conversationId: null, uploader: 'agent', uploaderId: agentId,
            name: prepared.name, mime: prepared.mime, size: prepared.data.length, kind: prepared.kind,
            width: prepared.width ?? null, height: prepared.height ?? null,
          });
          return json(201, { file: publicFile(meta) });
        } catch (err) {
          await deps.files.delete(companyId, key).catch(() => {});
          if (thumbKey) await deps.files.delete(companyId, thumbKey).catch(() => {});
          throw err;
        }
      },
    },
  ];
}
