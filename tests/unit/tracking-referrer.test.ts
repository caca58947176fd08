import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeQueryValue, parseReferrer, parseUtm } from '../../server/src/domain/tracking/referrer.js';

// 百度 in GBK is B0 D9 B6 C8; 退货 is CD CB BB F5.
describe('I1 referrer: search engines and keywords', () => {
  it.each<[string, string, string | null]>([
    ['https://www.baidu.com/s?wd=%E9%80%80%E8%B4%A7&rsv_spt=1', 'baidu', '退货'],
    ['https://www.baidu.com/s?ie=gbk&wd=%CD%CB%BB%F5', 'baidu', '退货'],
    ['https://www.baidu.com/s?ie=GB2312&word=%CD%CB%BB%F5', 'baidu', '退货'],
    ['https://www.baidu.com/s?wd=%CD%CB%BB%F5', 'baidu', '退货'], // undeclared GBK
    ['https://m.baidu.com/s?word=%E4%BC%98%E6%83%A0%E5%88%B8&sa=ib', 'baidu', '优惠券'],
    ['https://m.baidu.com/from=844b/s?word=red+shoes', 'baidu', 'red shoes'],
    ['https://wap.baidu.com/s?word=abc', 'baidu', 'abc'],
    ['https://tieba.baidu.com/f?kw=%E6%89%8B%E6%9C%BA', 'baidu', '手机'],
    ['https://www.baidu.com/link?url=Ab1Cd2&wd=&eqid=ff', 'baidu', null],
    ['https://www.sogou.com/web?query=%E9%80%80%E8%B4%A7&ie=utf8', 'sogou', '退货'],
    ['https://m.sogou.com/web/searchList.jsp?keyword=%E9%80%80%E8%B4%A7', 'sogou', '退货'],
    ['https://wap.sogou.com/web/searchList.jsp?keyword=abc', 'sogou', 'abc'],
    ['https://www.so.com/s?q=%E9%80%80%E8%B4%A7&src=srp', '360', '退货'],
    ['https://m.so.com/s?q=abc+def', '360', 'abc def'],
    ['https://m.sm.cn/s?q=%E9%80%80%E8%B4%A7&from=smor', 'shenma', '退货'],
    ['https://yz.m.sm.cn/s?q=%E4%BC%98%E6%83%A0%E5%88%B8', 'shenma', '优惠券'],
    ['https://so.toutiao.com/search?keyword=%E9%80%80%E8%B4%A7&pd=synthesis', 'toutiao', '退货'],
    ['https://cn.bing.com/search?q=%E9%80%80%E8%B4%A7&form=QBLH', 'bing', '退货'],
    ['https://www.bing.com/search?q=return+policy', 'bing', 'return policy'],
    ['https://www.google.com/search?q=live+chat', 'google', 'live chat'],
    ['https://www.google.com.hk/search?q=%E5%AE%A2%E6%9C%8D', 'google', '客服'],
    ['https://www.google.co.uk/search?q=x', 'google', 'x'],
    ['https://www.google.de/', 'google', null],
    ['https://search.yahoo.com/search?p=live+chat', 'yahoo', 'live chat'],
    ['https://search.yahoo.co.jp/search?p=%E3%83%81%E3%83%A3%E3%83%83%E3%83%88', 'yahoo', 'チャット'],
    ['https://yandex.ru/search/?text=%D1%87%D0%B0%D1%82', 'yandex', 'чат'],
    ['https://duckduckgo.com/?q=chat%20widget', 'duckduckgo', 'chat widget'],
    ['https://m.search.naver.com/search.naver?query=%EC%B1%84%ED%8C%85', 'naver', '채팅'],
    ['https://search.naver.com/search.naver?query=abc', 'naver', 'abc'],
    ['android-app://com.google.android.googlequicksearchbox/', 'google', null],
  ])('%s → %s %j', (ref, engine, keyword) => {
    const r = parseReferrer(ref, 'shop.example.com');
    expect(r).toMatchObject({ kind: 'search', engine, keyword });
  });

  it('normalizes keyword whitespace including the ideographic space and caps length', () => {
    expect(parseReferrer('https://www.baidu.com/s?wd=%20a%E3%80%80%20b%20').keyword).toBe('a b');
    expect([...parseReferrer(`https://www.baidu.com/s?wd=${'%E5%AE%A2'.repeat(300)}`).keyword!].length).toBe(200);
  });

  it('keeps malformed percent escapes literally', () => {
    expect(parseReferrer('https://www.so.com/s?q=100%+off%zz').keyword).toBe('100% off%zz');
  });

  it('does not take look-alike hosts for engines', () => {
    expect(parseReferrer('https://notbaidu.com/s?wd=x')).toEqual({ kind: 'site', engine: null, keyword: null, host: 'notbaidu.com' });
    expect(parseReferrer('https://baidu.com.evil.cn/s?wd=x').kind).toBe('site');
    expect(parseReferrer('https://google.evil.com/?q=x').kind).toBe('site');
  });
});

describe('I1 referrer: direct, internal and other sites', () => {
  it.each<[string, string | undefined, string, string | null]>([
    ['', 'shop.example.com', 'direct', null],
    ['   ', undefined, 'direct', null],
    ['not a url', undefined, 'direct', null],
    ['http://', undefined, 'direct', null],
    ['javascript:alert(1)', undefined, 'direct', null],
    ['about:blank', undefined, 'direct', null],
    ['https://shop.example.com/cart', 'shop.example.com', 'internal', 'shop.example.com'],
    ['https://www.example.com/', 'example.com', 'internal', 'www.example.com'],
    ['https://EXAMPLE.com./a', 'www.example.com:8443', 'internal', 'example.com'],
    ['https://weibo.com/u/1', 'shop.example.com', 'site', 'weibo.com'],
    ['https://www.zhihu.com/question/1', 'shop.example.com', 'site', 'www.zhihu.com'],
    ['android-app://com.tencent.mm/', undefined, 'site', 'com.tencent.mm'],
  ])('%j on %s → %s', (ref, pageHost, kind, host) => {
    expect(parseReferrer(ref, pageHost)).toEqual({ kind, engine: null, keyword: null, host });
  });

  it('never throws and always returns a consistent shape', () => {
    // Hand-built URLs: fc.webUrl is too slow to generate on a loaded machine.
    const hosts = ['www.baidu.com', 'm.sogou.com', 'm.sm.cn', 'www.google.com.hk', 'shop.example.com', 'weibo.com', ''];
    const url = fc
      .tuple(fc.constantFrom('https://', 'http://', 'ftp://', ''), fc.constantFrom(...hosts), fc.string(), fc.string())
      .map(([scheme, host, path, query]) => `${scheme}${host}/${path}?${query}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), url), (ref) => {
        const r = parseReferrer(ref, 'shop.example.com');
        expect(['search', 'site', 'direct', 'internal']).toContain(r.kind);
        if (r.kind !== 'search') expect(r.engine).toBeNull();
        if (r.kind === 'direct') expect(r.host).toBeNull();
        else expect(r.host).toBeTruthy();
      }),
    );
  });
});

describe('decodeQueryValue', () => {
  it('decodes UTF-8, declared GBK and plus-as-space', () => {
    expect(decodeQueryValue('%E7%99%BE%E5%BA%A6')).toBe('百度');
    expect(decodeQueryValue('%B0%D9%B6%C8', 'gbk')).toBe('百度');
    expect(decodeQueryValue('%B0%D9%B6%C8')).toBe('百度');
    expect(decodeQueryValue('a+b%2Bc')).toBe('a b+c');
    expect(decodeQueryValue('%')).toBe('%');
  });
});

describe('parseUtm', () => {
  it('extracts utm parameters', () => {
    expect(parseUtm('https://shop.example.com/?utm_source=baidu&UTM_Medium=cpc&utm_campaign=%E5%8F%8C11&utm_term=a+b#x')).toEqual({
      source: 'baidu', medium: 'cpc', campaign: '双11', term: 'a b', content: null,
    });
  });
  it.each(['', 'https://shop.example.com/', 'garbage??&&=', 'https://x/?utm_source='])('none in %j', (url) => {
    expect(parseUtm(url)).toEqual({ source: null, medium: null, campaign: null, term: null, content: null });
  });
});
