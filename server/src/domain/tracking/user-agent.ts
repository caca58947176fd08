// User agent → browser / OS / device class (C1 "browser/OS", I7). Wraps
// ua-parser-js@1 (MIT; v2 is AGPL), which already knows WeChat, QQ, Huawei
// Browser, Quark and UC. Bots are ours: ua-parser-js does not flag crawlers, and
// the Chinese ones (Baiduspider, Sogou, 360Spider, Bytespider, YisouSpider) matter here.
import UAParser from 'ua-parser-js';

export type DeviceClass = 'desktop' | 'mobile' | 'tablet' | 'bot';

export interface UaInfo {
  /** Display name, '' when unknown. */
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  device: DeviceClass;
}

const BOT = new RegExp(
  [
    'bot\\b', 'bot/', 'spider', 'crawl', 'slurp', 'headless', 'lighthouse', 'pagespeed', 'facebookexternalhit',
    'mediapartners', 'feedfetcher', 'sogou web', 'yisou', 'bytespider', 'petalbot', 'semrush', 'ahrefs',
    '^curl/', '^wget/', 'python-requests', 'python-urllib', 'aiohttp', 'go-http-client', '^java/', 'okhttp',
    'axios/', 'node-fetch', 'undici', 'scrapy', 'phantomjs', 'httpclient', 'postmanruntime',
  ].join('|'),
  'i',
);

// ua-parser-js names → the names agents know.
const BROWSER_NAMES: Readonly<Record<string, string>> = {
  UCBrowser: 'UC Browser',
  QQBrowser: 'QQ Browser',
  QQBrowserLite: 'QQ Browser',
  QQ: 'QQ',
  MetaSr: 'Sogou Browser',
  'Mobile Safari': 'Safari',
  'Chrome WebView': 'Chrome WebView',
  Baidu: 'Baidu Browser',
};
const OS_NAMES: Readonly<Record<string, string>> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };

function deviceClass(type: string | undefined): DeviceClass {
  if (type === 'mobile' || type === 'wearable') return 'mobile';
  if (type === 'tablet') return 'tablet';
  return 'desktop';
}

/** Uncached parse. An empty or automated agent is a bot. */
export function parseUserAgent(ua: string): UaInfo {
  const s = (ua ?? '').trim();
  const r = new UAParser(s).getResult();
  const browser = r.browser.name ?? '';
  const os = r.os.name ?? '';
  return {
    browser: BROWSER_NAMES[browser] ?? browser,
    browserVersion: r.browser.version ?? '',
    os: OS_NAMES[os] ?? os,
    osVersion: r.os.version ?? '',
    device: s === '' || BOT.test(s) ? 'bot' : deviceClass(r.device.type),
  };
}

export type UaParser = (ua: string) => UaInfo;

/**
 * A parser with a small LRU: visitors send the same few hundred agents over and
 * over, and ua-parser-js runs dozens of regexes per call.
 */
export function createUaParser(opts: { cacheSize?: number } = {}): UaParser {
  const max = Math.max(1, opts.cacheSize ?? 1000);
  const cache = new Map<string, UaInfo>();
  return (ua) => {
    // Absurdly long agents are truncated for the key and the parse alike.
    const key = (ua ?? '').slice(0, 512);
    const hit = cache.get(key);
    if (hit) {
      // Map iteration order is insertion order: re-insert to mark as recent.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const info = Object.freeze(parseUserAgent(key));
    cache.set(key, info);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return info;
  };
}
