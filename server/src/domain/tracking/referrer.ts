// Referrer → source classification (I1, C1 "search engine + keyword", I3).
// No npm package knows Sogou, m.baidu's `word` or Shenma, so the table is ours.
// Keywords are decoded from raw bytes because Chinese engines still send GBK
// queries (Baidu `ie=gbk`, old Sogou links); URLSearchParams would turn those
// into U+FFFD.

export type ReferrerKind = 'search' | 'site' | 'direct' | 'internal';

export interface ParsedReferrer {
  kind: ReferrerKind;
  /** Stable engine id from ENGINES, for search referrers only. */
  engine: string | null;
  keyword: string | null;
  /** Lower-case host of the referrer, null for direct traffic. */
  host: string | null;
}

interface EngineRule {
  id: string;
  host: RegExp;
  /** Query parameters holding the keyword, most specific first. */
  params: readonly string[];
}

// Anchored on a label boundary so "notbaidu.com" is not Baidu.
export const ENGINES: readonly EngineRule[] = [
  // www.baidu.com ?wd= (PC) / ?word= (links, images), m.baidu.com & wap ?word=, tieba ?kw=
  { id: 'baidu', host: /(^|\.)baidu\.com$/, params: ['wd', 'word', 'kw', 'query', 'q'] },
  // www.sogou.com ?query=, m.sogou.com / wap.sogou.com ?keyword=
  { id: 'sogou', host: /(^|\.)sogou\.com$/, params: ['query', 'keyword', 'q'] },
  // www.so.com / m.so.com ?q=, formerly haosou.com and so.360.cn
  { id: '360', host: /(^|\.)(so\.com|haosou\.com|so\.360\.cn)$/, params: ['q', 'src_q'] },
  // Shenma (UC / Alibaba): m.sm.cn, yz.m.sm.cn ?q=
  { id: 'shenma', host: /(^|\.)sm\.cn$/, params: ['q'] },
  { id: 'toutiao', host: /^(so|m)\.toutiao\.com$/, params: ['keyword', 'q'] },
  { id: 'bing', host: /(^|\.)bing\.com$/, params: ['q'] },
  { id: 'google', host: /(^|\.)google\.(com|co|com?\.[a-z]{2}|[a-z]{2})$/, params: ['q', 'query'] },
  { id: 'yahoo', host: /(^|\.)search\.yahoo\.(com|co\.jp|[a-z]{2})$/, params: ['p', 'q'] },
  { id: 'yandex', host: /(^|\.)(yandex\.(ru|com|com\.tr|by|kz|ua)|ya\.ru)$/, params: ['text'] },
  { id: 'duckduckgo', host: /(^|\.)duckduckgo\.com$/, params: ['q'] },
  { id: 'naver', host: /(^|\.)search\.naver\.com$/, params: ['query'] },
];

// Android apps send "android-app://<package>/" as the referrer.
const APP_ENGINES: Readonly<Record<string, string>> = {
  'com.google.android.googlequicksearchbox': 'google',
  'com.baidu.searchbox': 'baidu',
  'com.sogou.activity.src': 'sogou',
  'com.ucmobile': 'shenma',
  'com.quark.browser': 'shenma',
};

const GBK_CHARSETS = new Set(['gbk', 'gb2312', 'gb18030', 'cp936']);
const MAX_KEYWORD = 200;

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes to bytes, '+' as space; malformed escapes are kept literally. */
function percentBytes(raw: string): Uint8Array {
  const src = Buffer.from(raw.replace(/\+/g, ' '), 'utf8');
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 37 && i + 2 < src.length) {
      const h = hexVal(src[i + 1]!);
      const l = hexVal(src[i + 2]!);
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[n++] = c;
  }
  return out.subarray(0, n);
}

/**
 * Decodes a query value. A declared GBK charset wins; otherwise UTF-8, falling
 * back to GB18030 (a GBK superset) when the bytes are not valid UTF-8.
 */
export function decodeQueryValue(raw: string, charset?: string | null): string {
  const bytes = percentBytes(raw);
  if (charset && GBK_CHARSETS.has(charset.toLowerCase())) return new TextDecoder('gb18030').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Raw (still encoded) query parameters, first occurrence wins; the fragment is ignored. */
function rawQuery(url: string): Map<string, string> {
  const m = new Map<string, string>();
  const q = url.indexOf('?');
  if (q === -1) return m;
  let query = url.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = (eq === -1 ? pair : pair.slice(0, eq)).toLowerCase();
    if (!m.has(key)) m.set(key, eq === -1 ? '' : pair.slice(eq + 1));
  }
  return m;
}

function cleanKeyword(s: string): string | null {
  const k = s.replace(/[\s\u3000]+/g, ' ').trim();
  if (k === '') return null;
  return [...k].slice(0, MAX_KEYWORD).join('');
}

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

export function engineForHost(host: string): EngineRule | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  return ENGINES.find((e) => e.host.test(h)) ?? null;
}

function extractKeyword(url: string, rule: EngineRule): string | null {
  const q = rawQuery(url);
  const charset = q.get('ie') ?? q.get('inputencoding') ?? q.get('_charset_') ?? null;
  for (const p of rule.params) {
    const raw = q.get(p);
    if (raw === undefined) continue;
    const k = cleanKeyword(decodeQueryValue(raw, charset ? decodeQueryValue(charset) : null));
    if (k) return k;
  }
  return null;
}

/**
 * Classifies document.referrer. `pageHost` is the host of the page being viewed;
 * a referrer on the same host (ignoring "www.") is internal navigation.
 */
export function parseReferrer(referrer: string, pageHost?: string): ParsedReferrer {
  const none: ParsedReferrer = { kind: 'direct', engine: null, keyword: null, host: null };
  const ref = (referrer ?? '').trim();
  if (ref === '') return none;
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return none;
  }
  if (url.protocol === 'android-app:') {
    const pkg = url.hostname.toLowerCase();
    const engine = APP_ENGINES[pkg] ?? null;
    return { kind: engine ? 'search' : 'site', engine, keyword: null, host: pkg || null };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return none;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return none;
  if (pageHost && stripWww(host) === stripWww(pageHost.toLowerCase().replace(/:\d+$/, ''))) {
    return { kind: 'internal', engine: null, keyword: null, host };
  }
  const rule = engineForHost(host);
  if (!rule) return { kind: 'site', engine: null, keyword: null, host };
  return { kind: 'search', engine: rule.id, keyword: extractKeyword(ref, rule), host };
}

export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
}

/** utm_* parameters of a landing URL (case-insensitive names, decoded, trimmed). */
export function parseUtm(url: string): Utm {
  const q = rawQuery(url ?? '');
  const get = (k: string): string | null => {
    const raw = q.get(`utm_${k}`);
    return raw === undefined ? null : cleanKeyword(decodeQueryValue(raw));
  };
  return { source: get('source'), medium: get('medium'), campaign: get('campaign'), term: get('term'), content: get('content') };
}
