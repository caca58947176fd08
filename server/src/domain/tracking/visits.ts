// Visit sessionisation (I1 landing/exit, time on page, new vs returning; C1
// visit count). Pure: the caller keeps one VisitState per visitor (Redis or the
// visitor row) and feeds page views and heartbeats in.
//
// A page view starts a new visit when
//  1. the visitor has no visit yet, or
//  2. nothing was seen from them for VISIT_IDLE_MS (30 minutes, the usual
//     analytics convention), or
//  3. it arrives with a new attribution: a search-engine referrer or a
//     utm_campaign that differs from the one that started the current visit.
//     Re-loading the landing page repeats the same referrer and does not split.
//     Plain referring sites do NOT split: a return from a payment page or an
//     SSO host would otherwise cut a purchase in two.
import type { ParsedReferrer, Utm } from './referrer.js';

export const VISIT_IDLE_MS = 30 * 60_000;

export interface VisitState {
  visitId: string;
  /** First page view of this visit, epoch ms. */
  startedAt: number;
  /** Last page view or heartbeat, epoch ms: the idle clock runs from here. */
  lastSeenAt: number;
  /** Last page view, epoch ms: time on page is measured from here. */
  lastPageAt: number;
  /** Visits this visitor has had, including the current one. */
  visitCount: number;
  /** Page views in the current visit. */
  pages: number;
  /** Attribution that started the visit (see attributionKey). */
  source: string;
}

export interface PageViewSource {
  referrer: Pick<ParsedReferrer, 'kind' | 'engine' | 'keyword' | 'host'>;
  utm: Pick<Utm, 'source' | 'medium' | 'campaign'>;
}

export interface VisitStep {
  state: VisitState;
  /** This page view opened a visit (it is the landing page). */
  isNewVisit: boolean;
  /** 1 for the visitor's first visit. */
  visitNumber: number;
  /** The visitor's first visit: "new" in I3/I4, "returning" otherwise. */
  isNewVisitor: boolean;
  /**
   * Time spent on the previous page view, now known; null when there was none.
   * When this view opens a new visit the previous page was its visit's exit
   * page and the time is lastSeenAt - lastPageAt (heartbeats make it non-zero).
   */
  previousTimeOnPageMs: number | null;
}

/**
 * The attribution a page view carries: 'utm:…' or 'search:…' when it should
 * be able to start a visit, null otherwise (direct, internal, other sites).
 */
export function attributionKey(src: PageViewSource): string | null {
  const { utm, referrer } = src;
  if (utm.campaign) return `utm:${utm.source ?? ''}|${utm.medium ?? ''}|${utm.campaign}`;
  if (referrer.kind === 'search') return `search:${referrer.engine ?? ''}|${referrer.keyword ?? ''}`;
  return null;
}

/** What a visit opened by this page view is attributed to (also for direct / site landings). */
function landingSource(src: PageViewSource): string {
  const key = attributionKey(src);
  if (key) return key;
  if (src.referrer.kind === 'site') return `site:${src.referrer.host ?? ''}`;
  return 'direct';
}

export function advanceVisit(
  prev: VisitState | null,
  view: { at: number; source: PageViewSource },
  newVisitId: () => string,
  opts: { idleMs?: number } = {},
): VisitStep {
  const idleMs = opts.idleMs ?? VISIT_IDLE_MS;
  if (!prev) {
    const state = open(view, newVisitId(), 1, view.at);
    return { state, isNewVisit: true, visitNumber: 1, isNewVisitor: true, previousTimeOnPageMs: null };
  }
  // Late or reordered events are treated as simultaneous so that time never runs backwards.
  const at = Math.max(view.at, prev.lastSeenAt);
  const key = attributionKey(view.source);
  const split = at - prev.lastSeenAt >= idleMs || (key !== null && key !== prev.source);
  if (split) {
    const state = open(view, newVisitId(), prev.visitCount + 1, at);
    return {
      state,
      isNewVisit: true,
      visitNumber: state.visitCount,
      isNewVisitor: false,
      previousTimeOnPageMs: prev.lastSeenAt - prev.lastPageAt,
    };
  }
  const state: VisitState = { ...prev, lastSeenAt: at, lastPageAt: at, pages: prev.pages + 1 };
  return {
    state,
    isNewVisit: false,
    visitNumber: prev.visitCount,
    isNewVisitor: prev.visitCount === 1,
    previousTimeOnPageMs: at - prev.lastPageAt,
  };
}

function open(view: { source: PageViewSource }, visitId: string, visitCount: number, at: number): VisitState {
  return { visitId, startedAt: at, lastSeenAt: at, lastPageAt: at, visitCount, pages: 1, source: landingSource(view.source) };
}

/**
 * A heartbeat from an open page keeps the visit alive. Heartbeats after the
 * idle limit do not revive it: the next page view opens a new visit.
 */
export function touchVisit(prev: VisitState, at: number, opts: { idleMs?: number } = {}): VisitState {
  const idleMs = opts.idleMs ?? VISIT_IDLE_MS;
  if (at <= prev.lastSeenAt || at - prev.lastSeenAt >= idleMs) return prev;
  return { ...prev, lastSeenAt: at };
}

/** A visit is over once idle for the limit; C1 then shows the visitor as left. */
export function visitEnded(state: VisitState, now: number, opts: { idleMs?: number } = {}): boolean {
  return now - state.lastSeenAt >= (opts.idleMs ?? VISIT_IDLE_MS);
}
