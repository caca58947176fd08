// One widget page view → rows for the ClickHouse `page_views` and `visits`
// tables (server/src/adapters/clickhouse/migrations/0001_tracking.ts). Time on
// page and exit are not columns: page_views_timed (0003) derives them at query
// time from the next view and visits.ended_at, which is why the visits row is
// rewritten (higher version wins) on every view and heartbeat.
import { normalizeIp } from '../edge/cidr.js';
import { headerValue, type HeaderBag } from '../edge/client-ip.js';
import type { GeoLookup } from './geo.js';
import { parseReferrer, parseUtm } from './referrer.js';
import type { UaParser } from './user-agent.js';
import { advanceVisit, type VisitState, type VisitStep } from './visits.js';

export interface PageViewInput {
  companyId: string;
  visitorId: string;
  /** Client address as resolved by edge/client-ip. */
  ip: string;
  userAgent: string;
  page: { url: string; title: string; referrer: string };
  /** "1920x1080" or { width, height }; anything else is stored as ''. */
  screen: string | { width: number; height: number } | null;
  /** navigator.language */
  language: string;
  /** Epoch ms, server clock. */
  at: number;
}

export interface PageViewDeps {
  geo: GeoLookup;
  ua: UaParser;
  visits: { previous: VisitState | null; newVisitId: () => string; idleMs?: number };
}

/** Columns shared by page_views and visits (CONTEXT_COLUMNS in the migration). */
export interface ContextColumns {
  referrer: string;
  referrer_host: string;
  search_engine: string;
  keyword: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  visit_number: number;
  is_new: 0 | 1;
  country: string;
  province: string;
  city: string;
  isp: string;
  ip: string;
  browser: string;
  browser_version: string;
  os: string;
  device: string;
  screen: string;
  language: string;
}

export interface PageViewRow extends ContextColumns {
  company_id: string;
  visitor_id: string;
  visit_id: string;
  /** ISO 8601 UTC with milliseconds; the sink inserts with best_effort parsing. */
  ts: string;
  url: string;
  path: string;
  title: string;
  is_landing: 0 | 1;
}

export interface VisitRow extends ContextColumns {
  company_id: string;
  visit_id: string;
  visitor_id: string;
  started_at: string;
  ended_at: string;
  pages: number;
  duration_ms: number;
  landing_url: string;
  landing_path: string;
  exit_url: string;
  exit_path: string;
  chatted: 0 | 1;
  version: number;
}

export interface PageViewResult {
  row: PageViewRow;
  /** Persist as the visitor's VisitState. */
  step: VisitStep;
}

const MAX_URL = 2048;
const MAX_TITLE = 512;

function cut(s: string | null | undefined, max: number): string {
  const v = (s ?? '').trim();
  return v.length > max ? v.slice(0, max) : v;
}

function urlParts(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { host: '', path: '' };
    return { host: u.host, path: u.pathname };
  } catch {
    return { host: '', path: '' };
  }
}

function screenText(s: PageViewInput['screen']): string {
  if (s && typeof s === 'object') {
    const ok = (n: number) => Number.isInteger(n) && n > 0 && n < 100_000;
    return ok(s.width) && ok(s.height) ? `${s.width}x${s.height}` : '';
  }
  return typeof s === 'string' && /^\d{2,5}x\d{2,5}$/.test(s.trim()) ? s.trim() : '';
}

/** "zh-CN" → "zh-cn"; garbage → ''. */
export function normalizeLanguage(lang: string | null | undefined): string {
  const l = (lang ?? '').trim().toLowerCase().replace(/_/g, '-');
  return /^[a-z]{2,3}(-[a-z0-9]{1,8}){0,3}$/.test(l) ? l : '';
}

export function buildPageViewRow(input: PageViewInput, deps: PageViewDeps): PageViewResult {
  const url = cut(input.page.url, MAX_URL);
  const referrer = cut(input.page.referrer, MAX_URL);
  const { host: pageHost, path } = urlParts(url);
  const ref = parseReferrer(referrer, pageHost || undefined);
  const utm = parseUtm(url);
  const step = advanceVisit(
    deps.visits.previous,
    { at: input.at, source: { referrer: ref, utm } },
    deps.visits.newVisitId,
    { idleMs: deps.visits.idleMs },
  );
  const ip = normalizeIp(input.ip) ?? '';
  const geo = ip ? deps.geo.lookup(ip) : null;
  const ua = deps.ua(input.userAgent ?? '');
  const row: PageViewRow = {
    company_id: input.companyId,
    visitor_id: input.visitorId,
    visit_id: step.state.visitId,
    ts: new Date(input.at).toISOString(),
    url,
    path,
    title: cut(input.page.title, MAX_TITLE),
    is_landing: step.isNewVisit ? 1 : 0,
    referrer: ref.kind === 'direct' ? '' : referrer,
    referrer_host: ref.host ?? '',
    search_engine: ref.engine ?? '',
    keyword: ref.keyword ?? '',
    utm_source: utm.source ?? '',
    utm_medium: utm.medium ?? '',
    utm_campaign: utm.campaign ?? '',
    utm_term: utm.term ?? '',
    utm_content: utm.content ?? '',
    visit_number: step.visitNumber,
    is_new: step.isNewVisitor ? 1 : 0,
    country: geo?.country ?? '',
    province: geo?.province ?? '',
    city: geo?.city ?? '',
    isp: geo?.isp ?? '',
    ip,
    browser: ua.browser,
    browser_version: ua.browserVersion,
    os: ua.os,
    device: ua.device,
    screen: screenText(input.screen),
    language: normalizeLanguage(input.language),
  };
  return { row, step };
}

/**
 * The visits row for the visit `state` describes. Source and context come from
 * the visit's landing page view (keep it with the state); exit is the latest
 * page. version = lastSeenAt, so a heartbeat's row replaces the page view's.
 */
export function buildVisitRow(
  landing: PageViewRow,
  state: VisitState,
  exit: { url: string; path: string },
  chatted: boolean,
): VisitRow {
  const {
    company_id, visitor_id, url, path, ts: _ts, title: _title, is_landing: _l, visit_id: _v, ...context
  } = landing;
  return {
    ...context,
    company_id,
    visit_id: state.visitId,
    visitor_id,
    started_at: new Date(state.startedAt).toISOString(),
    ended_at: new Date(state.lastSeenAt).toISOString(),
    pages: state.pages,
    duration_ms: Math.max(0, state.lastSeenAt - state.startedAt),
    landing_url: url,
    landing_path: path,
    exit_url: exit.url,
    exit_path: exit.path,
    chatted: chatted ? 1 : 0,
    version: state.lastSeenAt,
  };
}

/**
 * true when this request must not be tracked: the company chose to honour
 * Do-Not-Track and the browser sent DNT: 1 or Sec-GPC: 1. Chat still works;
 * only page_views/visits rows are skipped.
 */
export function honourDnt(companySettings: { honourDnt: boolean }, headers: HeaderBag): boolean {
  if (!companySettings.honourDnt) return false;
  return headerValue(headers, 'dnt')?.trim() === '1' || headerValue(headers, 'sec-gpc')?.trim() === '1';
}
