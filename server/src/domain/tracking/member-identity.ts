// L1 member integration: the company's site tells us who a logged-in visitor is
// with a token signed by a per-company secret (docs/member-integration.md).
//
//   token = base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, <first part as ASCII>))
//
// The MAC covers the encoded text, not re-serialised JSON, so every language
// signs the same bytes it sends. Any failure makes the visitor an ordinary
// anonymous visitor; the caller logs the reason (never the token).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Member {
  memberId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Extra fields shown to agents, flat scalars only. */
  data: Record<string, string | number | boolean>;
  /** Expiry, unix seconds. */
  exp: number;
}

export type MemberFailure =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'lifetime_too_long'
  | 'invalid_payload';

export type MemberResult = { ok: true; member: Member } | { ok: false; reason: MemberFailure };

export interface VerifyOptions {
  /** Current secret first; older ones are accepted during rotation. */
  secrets: readonly (string | Buffer)[];
  /** Epoch ms. */
  now: number;
  /** Tokens valid for longer than this are refused, limiting replay of a leaked token. Default 24 h. */
  maxLifetimeSec?: number;
  /** Tolerated clock difference with the company's server. Default 120 s. */
  clockSkewSec?: number;
}

const MAX_TOKEN = 4096;
const MAX_FIELD = 256;
const MAX_DATA_KEYS = 30;
const B64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string | Buffer, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed, 'ascii').digest();
}

/** Signs a payload the way customers' servers must; used by tests and the docs' examples. */
export function signMemberToken(payload: Record<string, unknown>, secret: string | Buffer): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

function optString(v: unknown): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length > MAX_FIELD) return undefined;
  return v.trim() === '' ? null : v.trim();
}

function readPayload(json: unknown): Member | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const p = json as Record<string, unknown>;
  const id = typeof p.memberId === 'number' && Number.isSafeInteger(p.memberId) ? String(p.memberId) : p.memberId;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 128) return null;
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) return null;
  const name = optString(p.name);
  const email = optString(p.email);
  const phone = optString(p.phone);
  if (name === undefined || email === undefined || phone === undefined) return null;
  const data: Record<string, string | number | boolean> = {};
  if (p.data !== undefined && p.data !== null) {
    if (typeof p.data !== 'object' || Array.isArray(p.data)) return null;
    const entries = Object.entries(p.data as Record<string, unknown>);
    if (entries.length > MAX_DATA_KEYS) return null;
    for (const [k, v] of entries) {
      if (k.length > 64) return null;
      if (typeof v === 'string') {
        if (v.length > MAX_FIELD) return null;
        data[k] = v;
      } else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
        data[k] = v;
      } else {
        return null;
      }
    }
  }
  return { memberId: id.trim(), name, email, phone, data, exp: p.exp };
}

export function verifyMemberToken(token: string | null | undefined, opts: VerifyOptions): MemberResult {
  if (token === null || token === undefined || token.trim() === '') return { ok: false, reason: 'missing' };
  const t = token.trim();
  if (t.length > MAX_TOKEN) return { ok: false, reason: 'malformed' };
  const parts = t.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts as [string, string];
  if (!B64URL.test(body) || !B64URL.test(sig)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== 32) return { ok: false, reason: 'bad_signature' };
  // Check the MAC before parsing anything the sender controls.
  let valid = false;
  for (const secret of opts.secrets) {
    if (typeof secret === 'string' ? secret === '' : secret.length === 0) continue;
    // Not short-circuited, so the time taken does not reveal which secret matched.
    valid = timingSafeEqual(mac(secret, body), given) || valid;
  }
  if (!valid) return { ok: false, reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_payload' };
  }
  const member = readPayload(json);
  if (!member) return { ok: false, reason: 'invalid_payload' };
  const nowSec = opts.now / 1000;
  const skew = opts.clockSkewSec ?? 120;
  if (member.exp + skew <= nowSec) return { ok: false, reason: 'expired' };
  if (member.exp - nowSec > (opts.maxLifetimeSec ?? 86_400) + skew) return { ok: false, reason: 'lifetime_too_long' };
  const iat = (json as Record<string, unknown>).iat;
  if (typeof iat === 'number' && iat - skew > nowSec) return { ok: false, reason: 'not_yet_valid' };
  return { ok: true, member };
}
