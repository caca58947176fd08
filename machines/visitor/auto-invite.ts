// Auto-invite rules (D7), pure: which rule fires next for this visitor on this page?
import type { Scope } from '../routing/types.js';

export interface InviteRule {
  id: string;
  /** once = at most one invitation; repeat = up to repeatCount, intervalMs apart. */
  mode: 'once' | 'repeat';
  /** Count invitations per visitor (whole visit) or per page view. */
  countPer: 'visitor' | 'page';
  /** Wait this long on the page before the first invitation. */
  delayMs: number;
  /** How long the popup stays before it counts as ignored. */
  displayMs: number;
  repeatCount: number;
  intervalMs: number;
  /** Epoch ms after which the rule no longer fires; null = never expires. */
  expiresAt: number | null;
  /** `{region}` is replaced by the visitor's region (e.g. "Shanghai"). */
  greeting: string;
  /** Bound agent or group; null = whole company. */
  scope: Scope | null;
  /** popup = invitation box; chat = active chat window opens in the page. */
  kind: 'popup' | 'chat';
}

export interface InviteCounters {
  perVisitor: Record<string, number>;
  perPage: Record<string, number>;
  /** Rules the visitor declined: not offered again during this visit. */
  declined: string[];
}

export const emptyCounters = (): InviteCounters => ({ perVisitor: {}, perPage: {}, declined: [] });

export function sentSoFar(rule: InviteRule, c: InviteCounters): number {
  return (rule.countPer === 'visitor' ? c.perVisitor[rule.id] : c.perPage[rule.id]) ?? 0;
}

export function limit(rule: InviteRule): number {
  return rule.mode === 'once' ? 1 : Math.max(0, rule.repeatCount);
}

/** The first rule (in configured order) that may still fire, with how long to wait for it. */
export function nextInvite(rules: readonly InviteRule[], c: InviteCounters, now: number): { rule: InviteRule; waitMs: number } | null {
  for (const rule of rules) {
    if (rule.expiresAt !== null && now >= rule.expiresAt) continue;
    if (c.declined.includes(rule.id)) continue;
    const sent = sentSoFar(rule, c);
    if (sent >= limit(rule)) continue;
    return { rule, waitMs: sent === 0 ? rule.delayMs : rule.intervalMs };
  }
  return null;
}

export function countInvite(rule: InviteRule, c: InviteCounters): InviteCounters {
  return {
    ...c,
    perVisitor: { ...c.perVisitor, [rule.id]: (c.perVisitor[rule.id] ?? 0) + 1 },
    perPage: { ...c.perPage, [rule.id]: (c.perPage[rule.id] ?? 0) + 1 },
  };
}

/** A new page view restarts per-page counting. */
export const newPage = (c: InviteCounters): InviteCounters => ({ ...c, perPage: {} });

export function greeting(rule: InviteRule, region: string | null): string {
  return rule.greeting.replaceAll('{region}', region ?? '');
}
