// I1/C1/C2 tracking over HTTP: the widget's page-view/leave beacon, the
// console's live visitor list and trail, and the company's tracking settings
// (Do-Not-Track switch, L1 member secret; admins only).
//
// The beacon comes from navigator.sendBeacon, which sends text/plain (a CORS
// "simple" request, so no preflight): the route takes the raw body and parses
// the JSON itself, whatever the Content-Type says.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore, Company } from '../ports/account-store.js';
import { AppError } from '../ports/errors.js';
import type { VisitorTracker } from '../runtime/tracking/visitor-tracker.js';
import { createBeaconLimiter, DEFAULT_BEACON_LIMITS, type BeaconLimiter, type BucketDecision } from '../runtime/tracking/beacon-limit.js';
import { errorBody, json, type AuthContext, type HttpResponse, type Route } from './types.js';

export interface TrackingRouteDeps {
  accounts: AccountStore;
  tracker: VisitorTracker;
  /** how long a company found by its public key is reused; default 30 s */
  companyTtlMs?: number;
  /** beacons per IP and per visitor; default DEFAULT_BEACON_LIMITS */
  limiter?: BeaconLimiter;
  /** C3: a "block visitor" address is not listed to agents; absent = everyone is listed */
  edge?: { evaluate(companyId: string, ip: string): Promise<{ visible: boolean }> };
}

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;
const PUBLIC_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_CACHED_COMPANIES = 10_000;
const MAX_BEACON_BYTES = 16 * 1024;

const bad = (message: string): HttpResponse => json(400, errorBody(ErrorCode.BadRequest, message));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tooMany = (d: BucketDecision, message: string): HttpResponse =>
  json(429, errorBody(ErrorCode.RateLimited, message), { headers: { 'Retry-After': String(d.retryAfterSec) } });
const adminOnly = (auth: AuthContext): HttpResponse | null =>
  auth.role === 'admin' ? null : json(403, errorBody(ErrorCode.Forbidden, 'administrators only'));

/** Optional string field of at most `max` characters; undefined marks a wrong type or length. */
function text(v: unknown, max: number): string | undefined {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

export interface Beacon {
  type: 'view' | 'leave';
  visitorId: string;
  url: string;
  title: string;
  referrer: string;
  screen: string;
  language: string;
  memberToken: string;
}

/** Validates a beacon body; field names are the widget's (docs/protocol.md, HTTP API). */
export function parseBeacon(raw: Buffer | undefined): Beacon | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse((raw ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return { error: 'body is not valid JSON' };
  }
  if (!isObject(body)) return { error: 'send a JSON object' };
  const type = body.type ?? 'view';
  if (type !== 'view' && type !== 'leave') return { error: 'type is view or leave' };
  if (typeof body.vid !== 'string' || !VISITOR_ID.test(body.vid)) return { error: 'missing or malformed visitor id (vid)' };
  const fields = {
    url: text(body.url, 4096), title: text(body.title, 2048), referrer: text(body.ref, 4096),
    screen: text(body.screen, 16), language: text(body.lang, 64), memberToken: text(body.mt, 4096),
  };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) return { error: `${k} must be a string of limited length` };
  if (type === 'view' && !fields.url) return { error: 'url is required' };
  return { type, visitorId: body.vid, ...(fields as Omit<Beacon, 'type' | 'visitorId'>) };
}

/**
 * Company by public key, remembered for a while: every page view of every
 * customer site carries the key, and a database round trip per beacon was the
 * endpoint's main cost. Unknown keys are not remembered (a forged key stays 403
 * and cannot fill the map).
 */
function companyCache(accounts: AccountStore, ttlMs: number) {
  const hits = new Map<string, { company: Company; at: number }>();
  return async (key: string): Promise<Company> => {
    if (!PUBLIC_KEY.test(key)) throw new AppError(ErrorCode.BadRequest, 'missing or malformed company key', 400);
    const hit = hits.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.company;
    const company = await accounts.companyByPublicKey(key);
    if (!company) throw new AppError(ErrorCode.Forbidden, 'unknown company key', 403);
    if (hits.size >= MAX_CACHED_COMPANIES) hits.delete(hits.keys().next().value as string);
    hits.set(key, { company, at: Date.now() });
    return company;
  };
}

export function trackingRoutes(deps: TrackingRouteDeps): Route[] {
  const { tracker } = deps;
  const companyByKey = companyCache(deps.accounts, deps.companyTtlMs ?? 30_000);
  const limiter = deps.limiter ?? createBeaconLimiter(DEFAULT_BEACON_LIMITS);
  return [
    {
      method: 'POST', path: '/api/v1/widget/track', auth: 'none', body: 'raw', maxBodyBytes: MAX_BEACON_BYTES,
      handler: async (req) => {
        // The IP first: a flood of forged keys must not reach the company lookup.
        const byIp = limiter.ip(req.ip);
        if (!byIp.allowed) return tooMany(byIp, 'too many tracking beacons from this address');
        const company = await companyByKey(req.query.get('key') ?? '');
        const b = parseBeacon(req.rawBody);
        if ('error' in b) return bad(b.error);
        const byVisitor = limiter.visitor(company.id, b.visitorId);
        if (!byVisitor.allowed) return tooMany(byVisitor, 'too many tracking beacons from this visitor');
        if (b.type === 'leave') {
          await tracker.leave(company.id, b.visitorId, req.headers);
          return json(200, { ok: true });
        }
        const listed = deps.edge ? (await deps.edge.evaluate(company.id, req.ip)).visible : true;
        const r = await tracker.pageView({
          companyId: company.id, visitorId: b.visitorId, ip: req.ip, userAgent: req.headers['user-agent'] ?? '',
          page: { url: b.url, title: b.title, referrer: b.referrer }, screen: b.screen, language: b.language,
          headers: req.headers, memberToken: b.memberToken || null, listed,
        });
        return json(200, r);
      },
    },
    {
      method: 'GET', path: '/api/v1/visitors', auth: 'session',
      handler: async (req) => json(200, { items: tracker.live.list(req.auth!.companyId) }),
    },
    {
      method: 'GET', path: '/api/v1/visitors/:id/trail', auth: 'session',
      handler: async (req) => {
        const found = tracker.live.get(req.auth!.companyId, req.params.id ?? '');
        return found ? json(200, found) : json(404, errorBody(ErrorCode.NotFound, 'visitor not on the site now'));
      },
    },
    {
      method: 'GET', path: '/api/v1/tracking/settings', auth: 'session',
      handler: async (req) => adminOnly(req.auth!) ?? json(200, await tracker.trackingSettings(req.auth!.companyId)),
    },
    {
      method: 'PUT', path: '/api/v1/tracking/settings', auth: 'session',
      handler: async (req) => {
        const denied = adminOnly(req.auth!);
        if (denied) return denied;
        if (!isObject(req.body) || typeof req.body.honourDnt !== 'boolean') return bad('send { honourDnt: true | false }');
        return json(200, await tracker.setHonourDnt(req.auth!.companyId, req.body.honourDnt));
      },
    },
    {
      method: 'POST', path: '/api/v1/tracking/member-secret', auth: 'session',
      handler: async (req) => adminOnly(req.auth!) ?? json(200, await tracker.rotateMemberSecret(req.auth!.companyId)),
    },
  ];
}
