// Files both ways (E2) and screenshots (E3, sent as images) over /api/v1.
//
// Agents: session + CSRF; the company comes from the session.
// Visitors: the "widget visitor contract" — `key` (company public key) names the
// company, `vid` the visitor, and an upload must name a conversation of that
// company whose visitorId is `vid` and which has not ended (checked through
// ConversationStore.get()). A visitor reads only files of its own conversations.
//
// Bodies are raw bytes (Route.body = 'raw'); the display name comes from ?name=.
// Types are decided by magic bytes (domain/files), never by headers or names.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore, Company } from '../ports/account-store.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { FILE_KEY, newFileKey, type FileStore } from '../ports/file-store.js';
import type { FileMeta, FileMetaStore } from '../ports/file-meta-store.js';
import { AppError } from '../ports/errors.js';
import { DEFAULT_LIMITS, prepareUpload, type UploadLimits } from '../domain/files/prepare.js';
import { contentDisposition } from '../domain/files/names.js';
import { createMemoryLimiter, type RateLimiter } from '../domain/rate-limit.js';
import { errorBody, json, type HttpRequest, type HttpResponse, type Route } from './types.js';

const PUBLIC_KEY = /^[A-Za-z0-9_-]{8,64}$/;
/** Same rule as the visitor socket. */
export const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;
const CONVERSATION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_RAW_NAME = 1024;

export interface WidgetVisitor {
  company: Company;
  visitorId: string;
}

/**
 * Resolves `?key=<publicKey>&vid=<visitorId>`: 400 when malformed, 403 when the
 * key is no company's. Shared by every /api/v1/widget/* route.
 */
export async function widgetVisitor(req: HttpRequest, accounts: AccountStore, opts: { needVisitor?: boolean } = {}): Promise<WidgetVisitor> {
  const key = req.query.get('key') ?? '';
  if (!PUBLIC_KEY.test(key)) throw new AppError(ErrorCode.BadRequest, 'missing or malformed company key', 400);
  const vid = req.query.get('vid') ?? '';
  if ((opts.needVisitor ?? true) && !VISITOR_ID.test(vid)) throw new AppError(ErrorCode.BadRequest, 'missing or malformed visitor id', 400);
  const company = await accounts.companyByPublicKey(key);
  if (!company) throw new AppError(ErrorCode.Forbidden, 'unknown company key', 403);
  return { company, visitorId: vid };
}

export interface FileRouteDeps {
  accounts: AccountStore;
  conversations: ConversationStore;
  files: FileStore;
  meta: FileMetaStore;
  limits?: UploadLimits;
  /** visitor uploads per IP; default 30 per 10 minutes */
  visitorLimiter?: RateLimiter;
}

/** The upload answer (and what a chat message's `attachment` should carry). */
export function publicFile(m: FileMeta) {
  return {
    key: m.key, name: m.name, size: m.size, mime: m.mime, kind: m.kind,
    ...(m.width !== null ? { width: m.width } : {}),
    ...(m.height !== null ? { height: m.height } : {}),
    ...(m.thumbKey ? { thumbKey: m.thumbKey } : {}),
    ...(m.declined ? { declined: true } : {}),
  };
}

/** Stores one upload (bytes, thumbnail, row); a conversation's file, or a company's (E6 common files: none). */
export async function saveUpload(
  deps: Pick<FileRouteDeps, 'files' | 'meta'>, limits: UploadLimits, companyId: string, req: HttpRequest,
  who: { uploader: 'agent' | 'visitor'; id: string; conversationId: string | null },
): Promise<FileMeta> {
  const rawName = (req.query.get('name') ?? '').slice(0, MAX_RAW_NAME);
  const prepared = await prepareUpload(req.rawBody ?? Buffer.alloc(0), rawName, limits);
  const key = newFileKey();
  const thumbKey = prepared.thumb ? newFileKey() : null;
  await deps.files.put(companyId, key, prepared.data);
  try {
    if (thumbKey) await deps.files.put(companyId, thumbKey, prepared.thumb!.data);
    return await deps.meta.insert(companyId, {
      key, thumbKey, conversationId: who.conversationId, uploader: who.uploader, uploaderId: who.id,
      name: prepared.name, mime: prepared.mime, size: prepared.data.length, kind: prepared.kind,
      width: prepared.width ?? null, height: prepared.height ?? null,
    });
  } catch (err) {
    await deps.files.delete(companyId, key).catch(() => {});
    if (thumbKey) await deps.files.delete(companyId, thumbKey).catch(() => {});
    throw err;
  }
}

export function fileRoutes(deps: FileRouteDeps): Route[] {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const visitorLimiter = deps.visitorLimiter ?? createMemoryLimiter({ limit: 30, windowMs: 10 * 60_000 });
  // Room for the bytes only; prepareUpload() applies the exact limit again.
  const raw = { body: 'raw' as const, maxBodyBytes: limits.maxBytes };

  const store = async (companyId: string, req: HttpRequest, who: { uploader: 'agent' | 'visitor'; id: string; conversationId: string }) =>
    json(201, { file: publicFile(await saveUpload(deps, limits, companyId, req, who)) });

  async function openConversation(companyId: string, req: HttpRequest) {
    const id = req.query.get('conversationId') ?? '';
    if (!CONVERSATION_ID.test(id)) throw new AppError(ErrorCode.BadRequest, 'missing or malformed conversationId', 400);
    const conv = await deps.conversations.get(companyId, id);
    if (!conv) throw new AppError(ErrorCode.NotFound, 'conversation not found', 404);
    if (conv.state === 'ended') throw new AppError(ErrorCode.Conflict, 'conversation has ended', 409);
    return conv;
  }

  const notFound = () => json(404, errorBody(ErrorCode.NotFound, 'file not found'));

  /** The file row behind a blob key (original or thumbnail), or null for a malformed or unknown key. */
  const lookup = (companyId: string, blobKey: string) =>
    FILE_KEY.test(blobKey) ? deps.meta.byBlobKey(companyId, blobKey) : Promise.resolve(null);

  async function serve(companyId: string, blobKey: string, found: { meta: FileMeta; thumb: boolean }): Promise<HttpResponse> {
    const { meta, thumb } = found;
    if (meta.declined) return json(410, errorBody(ErrorCode.NotAllowedNow, 'file was declined'));
    const data = await deps.files.get(companyId, blobKey);
    if (!data) return notFound();
    return {
      status: 200,
      raw: { contentType: thumb ? 'image/webp' : meta.mime, data },
      headers: {
        // Images show inline; everything else only ever downloads.
        'Content-Disposition': contentDisposition(meta.kind === 'image' ? 'inline' : 'attachment', meta.name),
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cross-Origin-Resource-Policy': 'same-site',
        'Cache-Control': 'private, no-cache',
      },
    };
  }

  return [
    {
      method: 'POST', path: '/api/v1/files', auth: 'session', ...raw,
      handler: async (req) => {
        const auth = req.auth!;
        const conv = await openConversation(auth.companyId, req);
        return store(auth.companyId, req, { uploader: 'agent', id: auth.agentId, conversationId: conv.id });
      },
    },
    {
      method: 'POST', path: '/api/v1/widget/files', auth: 'none', ...raw,
      handler: async (req) => {
        const { company, visitorId } = await widgetVisitor(req, deps.accounts);
        const rate = await visitorLimiter.consume(`${company.id}:${req.ip}`);
        if (!rate.allowed) {
          return json(429, errorBody(ErrorCode.RateLimited, 'too many uploads'), { headers: { 'Retry-After': String(rate.retryAfterSec) } });
        }
        const conv = await openConversation(company.id, req);
        if (conv.visitorId !== visitorId) return json(403, errorBody(ErrorCode.Forbidden, 'not your conversation'));
        return store(company.id, req, { uploader: 'visitor', id: visitorId, conversationId: conv.id });
      },
    },
    {
      method: 'GET', path: '/api/v1/files/:key', auth: 'session',
      handler: async (req) => {
        const companyId = req.auth!.companyId;
        const key = req.params.key ?? '';
        const found = await lookup(companyId, key);
        return found ? serve(companyId, key, found) : notFound();
      },
    },
    {
      method: 'GET', path: '/api/v1/widget/files/:key', auth: 'none',
      handler: async (req) => {
        const { company, visitorId } = await widgetVisitor(req, deps.accounts);
        const key = req.params.key ?? '';
        const found = await lookup(company.id, key);
        const conv = found?.meta.conversationId ? await deps.conversations.get(company.id, found.meta.conversationId) : null;
        // Someone else's file answers exactly like a missing one.
        return found && conv?.visitorId === visitorId ? serve(company.id, key, found) : notFound();
      },
    },
    {
      method: 'POST', path: '/api/v1/files/:key/decline', auth: 'session',
      handler: async (req) => {
        const companyId = req.auth!.companyId;
        const key = req.params.key ?? '';
        const meta = FILE_KEY.test(key) ? await deps.meta.fileMeta(companyId, key) : null;
        if (!meta) return notFound();
        if (meta.uploader !== 'visitor') return json(409, errorBody(ErrorCode.Conflict, 'only a visitor\'s file can be declined'));
        const declined = (await deps.meta.decline(companyId, key))!;
        // The row stays (the visitor sees "refused"); the bytes go.
        await deps.files.delete(companyId, key);
        if (meta.thumbKey) await deps.files.delete(companyId, meta.thumbKey);
        return json(200, { file: publicFile(declined) });
      },
    },
  ];
}
