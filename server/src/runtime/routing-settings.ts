// Company routing settings (stored in companies.settings.routing) and auto-invite
// rules (companies.settings.inviteRules): defaults and validation shared by the
// runtime and the REST routes.
import { DEFAULT_ROUTER_SETTINGS, type InviteRule, type RouterSettings, type SystemTexts } from '../../../machines/index.js';

export interface CompanyRoutingSettings extends RouterSettings {
  /** Auto-away after this long without agent activity; 0 = off. */
  idleAwayMs: number;
  /** System texts sent into chats; an empty text is not sent. */
  texts: SystemTexts;
}

/** Manual accept by default, as before the router existed: companies switch auto-assignment on. */
export const DEFAULT_COMPANY_ROUTING: CompanyRoutingSettings = {
  ...DEFAULT_ROUTER_SETTINGS,
  autoAssign: false,
  idleAwayMs: 0,
  texts: { welcome: '', waiting: '', busy: '', closing: '' },
};

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_MS = 24 * 3_600_000;

/** Merges a (partial) patch onto `base`; every field is checked. */
export function mergeRoutingSettings(base: CompanyRoutingSettings, patch: unknown): Result<CompanyRoutingSettings> {
  if (!isObj(patch)) return { ok: false, error: 'settings must be an object' };
  const out: CompanyRoutingSettings = { ...base, texts: { ...base.texts } };
  for (const [k, v] of Object.entries(patch)) {
    switch (k) {
      case 'autoAssign': case 'preferLastAgent':
        if (typeof v !== 'boolean') return { ok: false, error: `${k} must be true or false` };
        out[k] = v;
        break;
      case 'mode':
        if (v !== 'service' && v !== 'sales') return { ok: false, error: 'mode must be service or sales' };
        out.mode = v;
        break;
      case 'preferLastAgentMs': case 'offerTimeoutMs': case 'transferTimeoutMs': case 'idleAwayMs': {
        const min = k === 'idleAwayMs' || k === 'preferLastAgentMs' ? 0 : 1000;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_MS) return { ok: false, error: `${k} must be a whole number of ms from ${min} to ${MAX_MS}` };
        out[k] = v;
        break;
      }
      case 'texts':
        if (!isObj(v)) return { ok: false, error: 'texts must be an object' };
        for (const [t, text] of Object.entries(v)) {
          if (!['welcome', 'waiting', 'busy', 'closing'].includes(t)) return { ok: false, error: `unknown text ${t}` };
          if (typeof text !== 'string' || text.length > 1000) return { ok: false, error: `texts.${t} must be a string of at most 1000 characters` };
          out.texts[t as keyof SystemTexts] = text;
        }
        break;
      default:
        return { ok: false, error: `unknown setting ${k}` };
    }
  }
  return { ok: true, value: out };
}

/** Stored settings, tolerant of rows written by older versions (bad fields fall back to defaults). */
export function storedRoutingSettings(raw: unknown): CompanyRoutingSettings {
  if (!isObj(raw)) return structuredClone(DEFAULT_COMPANY_ROUTING);
  const merged = mergeRoutingSettings(DEFAULT_COMPANY_ROUTING, raw);
  return merged.ok ? merged.value : structuredClone(DEFAULT_COMPANY_ROUTING);
}

export function routerPart(s: CompanyRoutingSettings): RouterSettings {
  const { autoAssign, mode, preferLastAgent, preferLastAgentMs, offerTimeoutMs, transferTimeoutMs } = s;
  return { autoAssign, mode, preferLastAgent, preferLastAgentMs, offerTimeoutMs, transferTimeoutMs };
}

const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SCOPE_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** Validates one auto-invite rule (D7). */
export function parseInviteRule(raw: unknown): Result<InviteRule> {
  if (!isObj(raw)) return { ok: false, error: 'rule must be an object' };
  const r = raw;
  const int = (k: string, min: number, max: number, fallback: number): number | string => {
    const v = r[k] ?? fallback;
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : `${k} must be a whole number from ${min} to ${max}`;
  };
  if (typeof r.id !== 'string' || !RULE_ID.test(r.id)) return { ok: false, error: 'id must be 1-64 of [A-Za-z0-9_-]' };
  const mode = r.mode ?? 'once';
  if (mode !== 'once' && mode !== 'repeat') return { ok: false, error: 'mode must be once or repeat' };
  const countPer = r.countPer ?? 'visitor';
  if (countPer !== 'visitor' && countPer !== 'page') return { ok: false, error: 'countPer must be visitor or page' };
  const kind = r.kind ?? 'popup';
  if (kind !== 'popup' && kind !== 'chat') return { ok: false, error: 'kind must be popup or chat' };
  const nums = { delayMs: int('delayMs', 0, MAX_MS, 10_000), displayMs: int('displayMs', 1000, MAX_MS, 30_000), repeatCount: int('repeatCount', 0, 100, 1), intervalMs: int('intervalMs', 0, MAX_MS, 60_000) };
  for (const v of Object.values(nums)) if (typeof v === 'string') return { ok: false, error: v };
  const expiresAt = r.expiresAt ?? null;
  if (expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isInteger(expiresAt) || expiresAt < 0)) return { ok: false, error: 'expiresAt must be epoch ms or null' };
  const greeting = r.greeting ?? '';
  if (typeof greeting !== 'string' || greeting.length > 500) return { ok: false, error: 'greeting must be a string of at most 500 characters' };
  let scope: InviteRule['scope'] = null;
  if (r.scope !== undefined && r.scope !== null) {
    const s = r.scope as Record<string, unknown>;
    if (isObj(s) && s.kind === 'group' && typeof s.groupId === 'string' && SCOPE_ID.test(s.groupId)) scope = { kind: 'group', groupId: s.groupId };
    else if (isObj(s) && s.kind === 'agent' && typeof s.agentId === 'string' && SCOPE_ID.test(s.agentId)) scope = { kind: 'agent', agentId: s.agentId };
    else if (isObj(s) && s.kind === 'company') scope = { kind: 'company' };
    else return { ok: false, error: 'scope must be {kind:"company"|"group"|"agent", groupId?|agentId?} or null' };
  }
  for (const k of Object.keys(r)) {
    if (!['id', 'mode', 'countPer', 'kind', 'delayMs', 'displayMs', 'repeatCount', 'intervalMs', 'expiresAt', 'greeting', 'scope'].includes(k)) return { ok: false, error: `unknown field ${k}` };
  }
  return {
    ok: true,
    value: { id: r.id, mode, countPer, kind, ...(nums as Record<keyof typeof nums, number>), expiresAt: expiresAt as number | null, greeting, scope },
  };
}

export function storedInviteRules(raw: unknown): InviteRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(parseInviteRule).flatMap((r) => (r.ok ? [r.value] : []));
}
