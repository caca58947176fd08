// Offline messages (G2) from the widget, their minimal console side, and the
// widget's public configuration (J4 form fields, icon texts, edge decision).
// Field values are text: stored and returned exactly as typed (minus control
// characters); the console escapes them when it shows them.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore, Permission } from '../ports/account-store.js';
import type { AnalyticsSink } from '../ports/analytics-sink.js';
import {
  OFFLINE_REASONS,
  type OfflineFormField, type OfflineMessage, type OfflineMessageFilter, type OfflineMessageStore,
  type OfflineReason, type WidgetSettings,
} from '../ports/offline-message-store.js';
import { createMemoryLimiter, type RateLimiter } from '../domain/rate-limit.js';
import { regionLabel, type GeoLookup } from '../domain/tracking/geo.js';
import { parseReferrer } from '../domain/tracking/referrer.js';
import type { EdgeGuard } from '../runtime/edge-guard.js';
import { widgetVisitor } from './file-routes.js';
import { errorBody, json, type AuthContext, type HttpResponse, type Route } from './types.js';

const MAX_URL = 2048;
const FIELD_ID = /^[a-z][a-z0-9_]{0,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-() ]{3,32}$/;
// NUL cannot live in jsonb; other C0 controls are never meant. Tab and newlines stay.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const bad = (message: string): HttpResponse => json(400, errorBody(ErrorCode.BadRequest, message));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const can = (auth: AuthContext, p: Permission) => auth.role === 'admin' || auth.permissions.includes(p);
const chars = (s: string) => Array.from(s).length;

export interface OfflineMessageRouteDeps {
  accounts: AccountStore;
  store: OfflineMessageStore;
  guard: EdgeGuard;
  geo: GeoLookup | null;
  sink: AnalyticsSink;
  /** offline messages per company and IP; default 10 per 10 minutes */
  limiter?: RateLimiter;
  clock?: () => number;
}

/** Checks visitor input against the form; returns the cleaned fields or an error message. */
export function validateOfflineFields(form: readonly OfflineFormField[], input: unknown): { fields: Record<string, string> } | { error: string } {
  if (!isObject(input)) return { error: 'fields must be an object of strings' };
  const byId = new Map(form.map((f) => [f.id, f]));
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(input)) {
    const field = byId.get(id);
    if (!field) return { error: `unknown field ${JSON.stringify(id.slice(0, 40))}` };
    if (typeof value !== 'string') return { error: `${id} must be a string` };
    const v = value.replace(CONTROL, '').trim();
    if (chars(v) > field.maxLength) return { error: `${id} is longer than ${field.maxLength} characters` };
    if (v === '') continue;
    if (id === 'email' && !EMAIL.test(v)) return { error: 'email is not an email address' };
    if (id === 'phone' && !PHONE.test(v)) return { error: 'phone may hold digits, spaces, + - ( ) only' };
    out[id] = v;
  }
  const missing = form.filter((f) => f.required && !(f.id in out)).map((f) => f.id);
  if (missing.length) return { error: `required: ${missing.join(', ')}` };
  if (Object.keys(out).length === 0) return { error: 'the message is empty' };
  return { fields: out };
}

/** Validates a whole WidgetSettings document from the console (J4). */
export function validateWidgetSettings(input: unknown): WidgetSettings | { error: string } {
  if (!isObject(input) || !isObject(input.offlineForm) || !Array.isArray(input.offlineForm.fields)) {
    return { error: 'send { offlineForm: { fields: [...] }, iconTexts: { online, offline } }' };
  }
  const raw = input.offlineForm.fields;
  if (raw.length < 1 || raw.length > 20) return { error: 'the form needs 1 to 20 fields' };
  const fields: OfflineFormField[] = [];
  for (const f of raw) {
    if (!isObject(f) || typeof f.id !== 'string' || !FIELD_ID.test(f.id)) return { error: 'field ids are a-z, 0-9, _ (up to 32)' };
    if (fields.some((x) => x.id === f.id)) return { error: `field ${f.id} appears twice` };
    if (typeof f.label !== 'string' || chars(f.label.trim()) < 1 || chars(f.label) > 50) return { error: `label of ${f.id} must be 1–50 characters` };
    if (typeof f.required !== 'boolean') return { error: `required of ${f.id} must be true or false` };
    const maxLength = f.maxLength ?? 2000;
    if (!Number.isInteger(maxLength) || (maxLength as number) < 1 || (maxLength as number) > 5000) return { error: `maxLength of ${f.id} must be 1..5000` };
    fields.push({ id: f.id, label: f.label.trim(), required: f.required, maxLength: maxLength as number });
  }
  const texts = isObject(input.iconTexts) ? input.iconTexts : {};
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && chars(v.trim()) >= 1 && chars(v) <= 20 ? v.trim() : fallback);
  if (Object.values(texts).some((v) => typeof v !== 'string' || chars(v) > 20)) return { error: 'icon texts are strings of up to 20 characters' };
  return { offlineForm: { fields }, iconTexts: { online: text(texts.online, '在线咨询'), offline: text(texts.offline, '给我们留言') } };
}

function parseTime(raw: string | null): number | undefined | null {
  if (raw === null || raw === '') return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isSafeInteger(n) ? n : null;
}

export function offlineMessageRoutes(deps: OfflineMessageRouteDeps): Route[] {
  const limiter = deps.limiter ?? createMemoryLimiter({ limit: 10, windowMs: 10 * 60_000 });
  const clock = deps.clock ?? Date.now;

  const analytics = (companyId: string, m: OfflineMessage, version: number) => {
    const geo = deps.geo?.lookup(m.ip) ?? null;
    deps.sink.record({
      table: 'offline_messages', companyId,
      row: {
        id: m.id, ts: m.createdAt, reason: m.reason, type: m.type, source_url: m.sourceUrl,
        country: geo?.country ?? '', province: geo?.province ?? '', city: geo?.city ?? '', ip: m.ip,
        search_engine: m.engine, keyword: m.keyword, replied: m.replied ? 1 : 0, version,
      },
    });
  };

  return [
    {
      method: 'GET', path: '/api/v1/widget/config', auth: 'none',
      handler: async (req) => {
        const { company } = await widgetVisitor(req, deps.accounts, { needVisitor: false });
        const [settings, edge] = await Promise.all([
          deps.store.widgetSettings(company.id),
          deps.guard.evaluate(company.id, req.ip, clock()),
        ]);
        // The loader reads `edge.icon` from the customer's page (C4 hidden / disabled): public, no credentials.
        return json(200, {
          company: { name: company.name },
          offlineForm: settings.offlineForm,
          iconTexts: settings.iconTexts,
          edge: { visible: edge.visible, canChat: edge.canChat, icon: edge.icon },
        }, { headers: { 'Access-Control-Allow-Origin': '*' } });
      },
    },
    {
      method: 'POST', path: '/api/v1/widget/offline-messages', auth: 'none',
      handler: async (req) => {
        const { company, visitorId } = await widgetVisitor(req, deps.accounts);
        // Blocked addresses (C3) and refused regions (C4) may not leave messages either.
        const edge = await deps.guard.evaluate(company.id, req.ip, clock());
        if (!edge.canChat) return json(403, errorBody(ErrorCode.Blocked, 'not accepted from this address'));
        const b = req.body;
        if (!isObject(b)) return bad('send { reason, fields, url?, referrer? }');
        if (!OFFLINE_REASONS.includes(b.reason as OfflineReason)) return bad(`reason must be one of ${OFFLINE_REASONS.join(', ')}`);
        const settings = await deps.store.widgetSettings(company.id);
        const checked = validateOfflineFields(settings.offlineForm.fields, b.fields);
        if ('error' in checked) return bad(checked.error);
        const url = typeof b.url === 'string' && b.url.length <= MAX_URL && /^https?:\/\//i.test(b.url) ? b.url : '';
        const referrer = typeof b.referrer === 'string' && b.referrer.length <= MAX_URL ? b.referrer : '';
        // Counted once the message is acceptable: the limit is on messages stored, per address.
        const rate = await limiter.consume(`${company.id}:${req.ip}`);
        if (!rate.allowed) {
          return json(429, errorBody(ErrorCode.RateLimited, 'too many messages; try again later'), { headers: { 'Retry-After': String(rate.retryAfterSec) } });
        }
        let pageHost: string | undefined;
        try { pageHost = url ? new URL(url).host : undefined; } catch { pageHost = undefined; }
        const ref = parseReferrer(referrer, pageHost);
        const msg = await deps.store.insert(company.id, {
          reason: b.reason as OfflineReason, fields: checked.fields, visitorId, sourceUrl: url, ip: req.ip,
          region: regionLabel(deps.geo?.lookup(req.ip) ?? null), engine: ref.engine ?? '', keyword: ref.keyword ?? '',
        });
        analytics(company.id, msg, msg.createdAt);
        return json(201, { id: msg.id });
      },
    },
    {
      method: 'GET', path: '/api/v1/offline-messages', auth: 'session',
      handler: async (req) => {
        const q = req.query;
        const from = parseTime(q.get('from'));
        const to = parseTime(q.get('to'));
        if (from === null || to === null) return bad('from and to are epoch milliseconds or ISO times');
        const reason = q.get('reason') ?? undefined;
        if (reason !== undefined && !OFFLINE_REASONS.includes(reason as OfflineReason)) return bad(`reason must be one of ${OFFLINE_REASONS.join(', ')}`);
        const repliedRaw = q.get('replied');
        if (repliedRaw !== null && repliedRaw !== 'true' && repliedRaw !== 'false') return bad('replied must be true or false');
        const type = q.get('type') ?? undefined;
        if (type !== undefined && type.length > 64) return bad('type is at most 64 characters');
        const limit = Number(q.get('limit') ?? '50');
        const offset = Number(q.get('offset') ?? '0');
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) return bad('limit must be 1..200');
        if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) return bad('offset must be 0..100000');
        const filter: OfflineMessageFilter = {
          limit, offset,
          ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}),
          ...(reason !== undefined ? { reason: reason as OfflineReason } : {}),
          ...(repliedRaw !== null ? { replied: repliedRaw === 'true' } : {}),
          ...(type !== undefined ? { type } : {}),
        };
        return json(200, await deps.store.list(req.auth!.companyId, filter));
      },
    },
    {
      method: 'GET', path: '/api/v1/offline-messages/unreplied-count', auth: 'session',
      handler: async (req) => json(200, { count: await deps.store.unrepliedCount(req.auth!.companyId) }),
    },
    {
      method: 'POST', path: '/api/v1/offline-messages/:id/replied', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const b = req.body;
        if (!isObject(b) || typeof b.replied !== 'boolean') return bad('send { replied: true | false }');
        const id = req.params.id ?? '';
        const msg = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await deps.store.setReplied(auth.companyId, id, b.replied, auth.agentId) : null;
        if (!msg) return json(404, errorBody(ErrorCode.NotFound, 'offline message not found'));
        // Same key, higher version: ClickHouse keeps the latest state.
        analytics(auth.companyId, msg, Math.max(clock(), msg.createdAt + 1));
        return json(200, { message: msg });
      },
    },
    {
      method: 'GET', path: '/api/v1/widget-settings', auth: 'session',
      handler: async (req) => json(200, await deps.store.widgetSettings(req.auth!.companyId)),
    },
    {
      method: 'PUT', path: '/api/v1/widget-settings', auth: 'session',
      handler: async (req) => {
        if (!can(req.auth!, 'settings')) return json(403, errorBody(ErrorCode.Forbidden, 'needs the settings permission'));
        const settings = validateWidgetSettings(req.body);
        if ('error' in settings) return bad(settings.error);
        await deps.store.saveWidgetSettings(req.auth!.companyId, settings);
        return json(200, settings);
      },
    },
  ];
}
