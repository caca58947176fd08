import { describe, expect, it } from 'vitest';
import { createUaParser, parseUserAgent, type UaInfo } from '../../server/src/domain/tracking/user-agent.js';

const UA = {
  wechatIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.30(0x18001e31) NetType/WIFI Language/zh_CN',
  wechatAndroid: 'Mozilla/5.0 (Linux; Android 12; V2055A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.28.2240(0x28001C35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  huawei: 'Mozilla/5.0 (Linux; U; Android 10; zh-cn; PCT-AL10 Build/HUAWEIPCT-AL10) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 HuaweiBrowser/11.0.6.303 Mobile Safari/537.36',
  quark: 'Mozilla/5.0 (Linux; U; Android 11; zh-CN; M2012K11AC Build/RKQ1.200826.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 Quark/5.4.9.201 Mobile Safari/537.36',
  uc: 'Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1938T Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
  qqMobile: 'Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDEM30 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.72 MQQBrowser/12.1 Mobile Safari/537.36',
  qqDesktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 QQBrowser/12.0.0.0',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 15_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
  harmony: 'Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 Mobile Safari/537.36',
};

describe('I7 user agent', () => {
  it.each<[string, string, Partial<UaInfo>]>([
    ['WeChat on iOS', UA.wechatIos, { browser: 'WeChat', browserVersion: '8.0.30', os: 'iOS', osVersion: '16.0', device: 'mobile' }],
    ['WeChat on Android', UA.wechatAndroid, { browser: 'WeChat', os: 'Android', device: 'mobile' }],
    ['Huawei Browser', UA.huawei, { browser: 'Huawei Browser', browserVersion: '11.0.6.303', os: 'Android', device: 'mobile' }],
    ['Quark', UA.quark, { browser: 'Quark', device: 'mobile' }],
    ['UC', UA.uc, { browser: 'UC Browser', browserVersion: '13.4.0.1306', device: 'mobile' }],
    ['QQ Browser mobile', UA.qqMobile, { browser: 'QQ Browser', device: 'mobile' }],
    ['QQ Browser desktop', UA.qqDesktop, { browser: 'QQ Browser', os: 'Windows', osVersion: '10', device: 'desktop' }],
    ['iPad is a tablet', UA.ipad, { browser: 'Safari', os: 'iOS', device: 'tablet' }],
    ['Edge', UA.edge, { browser: 'Edge', os: 'Windows', device: 'desktop' }],
    ['Safari on macOS', UA.mac, { browser: 'Safari', os: 'macOS', osVersion: '10.15.7', device: 'desktop' }],
    ['HarmonyOS phone', UA.harmony, { os: 'HarmonyOS', device: 'mobile' }],
  ])('%s', (_n, ua, expected) => {
    expect(parseUserAgent(ua)).toMatchObject(expected);
  });

  it.each([
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Mozilla/5.0 (Linux;u;Android 4.2.2;zh-cn;) AppleWebKit/534.46 (KHTML,like Gecko) Version/5.1 Mobile Safari/10600.6.3 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    '360Spider',
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    'curl/8.0.1',
    'python-requests/2.31.0',
    '',
  ])('bot: %j', (ua) => {
    expect(parseUserAgent(ua).device).toBe('bot');
  });

  it('unknown agents are desktop with empty names', () => {
    expect(parseUserAgent('SomethingWeird/1.0')).toEqual({ browser: '', browserVersion: '', os: '', osVersion: '', device: 'desktop' });
  });
});

describe('createUaParser LRU', () => {
  it('returns the cached result for a repeat agent and evicts the least recently used', () => {
    const parse = createUaParser({ cacheSize: 2 });
    const edge = parse(UA.edge);
    const mac = parse(UA.mac);
    expect(parse(UA.edge)).toBe(edge); // hit; order is now mac, edge
    const uc = parse(UA.uc); // evicts mac, the least recently used
    expect(parse(UA.edge)).toBe(edge); // still cached; order uc, edge
    const mac2 = parse(UA.mac); // re-parsed: a new object; evicts uc
    expect(mac2).not.toBe(mac);
    expect(mac2).toEqual(mac);
    expect(parse(UA.uc)).not.toBe(uc);
  });

  it('agrees with the uncached parser', () => {
    const parse = createUaParser({ cacheSize: 3 });
    for (const ua of [...Object.values(UA), ...Object.values(UA)]) expect(parse(ua)).toEqual(parseUserAgent(ua));
  });
});
