// J6: the visitor UI speaks zh-CN, zh-TW, en, ja, ko, ru. An explicit data-lang
// wins; otherwise the browser's preference list picks the first we support.

export const LANGS = ['zh-CN', 'zh-TW', 'en', 'ja', 'ko', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

/** Map one BCP 47 tag to a supported language, or null. */
export function matchLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const t = tag.trim().replace(/_/g, '-').toLowerCase();
  if (!t) return null;
  const [base, ...rest] = t.split('-');
  if (base === 'zh') {
    // Traditional script or a region that writes it → zh-TW; everything else → zh-CN.
    if (rest.indexOf('hant') >= 0) return 'zh-TW';
    if (rest.indexOf('hans') >= 0) return 'zh-CN';
    if (rest.some((r) => r === 'tw' || r === 'hk' || r === 'mo')) return 'zh-TW';
    return 'zh-CN';
  }
  if (base === 'en' || base === 'ja' || base === 'ko' || base === 'ru') return base;
  return null;
}

/** Pick the UI language: explicit override, then the browser list, then English. */
export function pickLang(override: string | null | undefined, browser: readonly string[]): Lang {
  const o = matchLang(override);
  if (o) return o;
  for (const tag of browser) {
    const m = matchLang(tag);
    if (m) return m;
  }
  return 'en';
}
