// The loader ↔ window postMessage contract accepts only well-formed messages.
import { describe, expect, it } from 'vitest';
import { originOf, parseHostToWindow, parseWindowToHost } from '../../widget/src/shared/bridge.js';
import { validateOfflineForm } from '../../widget/src/window/offline-validate.js';

describe('widget postMessage bridge', () => {
  it('accepts the window messages it knows', () => {
    expect(parseWindowToHost({ sb: 1, type: 'state', state: 'busy' })).toEqual({ sb: 1, type: 'state', state: 'busy' });
    expect(parseWindowToHost({ sb: 1, type: 'unread', count: 2.7 })).toEqual({ sb: 1, type: 'unread', count: 2 });
    expect(parseWindowToHost({ sb: 1, type: 'open', extra: 'x' })).toEqual({ sb: 1, type: 'open' });
  });

  it('rejects anything else', () => {
    for (const bad of [null, 'open', { type: 'open' }, { sb: 2, type: 'open' }, { sb: 1, type: 'state', state: 'away' }, { sb: 1, type: 'unread', count: -1 }, { sb: 1, type: 'eval' }]) {
      expect(parseWindowToHost(bad)).toBeNull();
    }
    expect(parseHostToWindow({ sb: 1, type: 'state', state: 'online' })).toBeNull();
    expect(parseHostToWindow({ sb: 1, type: 'open', mode: 'message' })).toEqual({ sb: 1, type: 'open', mode: 'message' });
    expect(parseHostToWindow({ sb: 1, type: 'open', mode: 'weird' })).toEqual({ sb: 1, type: 'open', mode: 'chat' });
  });

  it('pins origins from absolute http(s) URLs only', () => {
    expect(originOf('https://Shop.Example:8443/a/b?c#d')).toBe('https://shop.example:8443');
    expect(originOf('http://localhost:3000')).toBe('http://localhost:3000');
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('/relative')).toBeNull();
  });
});

describe('G2 leave-a-message validation', () => {
  const f = (o: Partial<{ name: string; phone: string; email: string; content: string }>) => ({ name: '', phone: '', email: '', content: 'hello', ...o });
  it('needs content and a way to reach the visitor', () => {
    expect(validateOfflineForm(f({ content: '  ', email: 'a@b.co' }))).toBe('formNeedContent');
    expect(validateOfflineForm(f({}))).toBe('formNeedContact');
    expect(validateOfflineForm(f({ email: 'not-an-email' }))).toBe('formNeedContact');
    expect(validateOfflineForm(f({ phone: 'abc' }))).toBe('formNeedContact');
    expect(validateOfflineForm(f({ email: 'li@example.cn' }))).toBeNull();
    expect(validateOfflineForm(f({ phone: '+86 138-0000-0000' }))).toBeNull();
  });
});
