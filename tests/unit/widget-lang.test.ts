// J6: the widget picks one of six UI languages from data-lang or the browser.
import { describe, expect, it } from 'vitest';
import { LANGS, matchLang, pickLang } from '../../widget/src/shared/lang.js';
import { DICTS, translator } from '../../widget/src/window/i18n.js';
import { ICON_LABELS } from '../../widget/src/shared/icon-labels.js';

describe('widget language choice', () => {
  it.each([
    ['zh-CN', 'zh-CN'], ['zh', 'zh-CN'], ['zh-Hans-SG', 'zh-CN'], ['zh-SG', 'zh-CN'],
    ['zh-TW', 'zh-TW'], ['zh-HK', 'zh-TW'], ['zh-Hant', 'zh-TW'], ['zh_MO', 'zh-TW'], ['ZH-tw', 'zh-TW'],
    ['en-GB', 'en'], ['ja-JP', 'ja'], ['ko', 'ko'], ['ru-RU', 'ru'],
  ])('J6 maps %s to %s', (tag, want) => {
    expect(matchLang(tag)).toBe(want);
  });

  it('J6 ignores languages we do not speak', () => {
    expect(matchLang('fr-FR')).toBeNull();
    expect(matchLang('')).toBeNull();
    expect(matchLang(undefined)).toBeNull();
  });

  it('J6 data-lang overrides the browser, the browser list is walked in order, English last', () => {
    expect(pickLang('ja', ['zh-CN'])).toBe('ja');
    expect(pickLang('xx', ['fr', 'ko-KR', 'zh-CN'])).toBe('ko');
    expect(pickLang(null, ['fr', 'de'])).toBe('en');
    expect(pickLang('', [])).toBe('en');
  });

  it('J6 every language has every word, non-empty', () => {
    const keys = Object.keys(DICTS.en).sort();
    for (const lang of LANGS) {
      expect(Object.keys(DICTS[lang]).sort(), lang).toEqual(keys);
      for (const k of keys) expect(DICTS[lang][k as keyof typeof DICTS.en], `${lang}.${k}`).not.toBe('');
      expect(Object.values(ICON_LABELS[lang]).every((s) => s.length > 0)).toBe(true);
    }
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translator('en')('queued', { position: 3 })).toBe('You are number 3 in the queue.');
    expect(translator('zh-CN')('typing', { name: '小王' })).toBe('小王 正在输入…');
    expect(translator('en')('typing')).toBe('{name} is typing…');
  });
});
