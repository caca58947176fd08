import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clientIp, headerValue } from '../../server/src/domain/edge/client-ip.js';

const TRUSTED = ['10.0.0.0/8', '127.0.0.1', 'fd00::/8'];

describe('edge/client-ip: X-Forwarded-For only through trusted proxies', () => {
  it.each<[string, string, Record<string, string | string[]>, string]>([
    ['no proxy, no header', '203.0.113.5', {}, '203.0.113.5'],
    ['untrusted peer spoofs XFF: ignored', '203.0.113.5', { 'x-forwarded-for': '1.1.1.1' }, '203.0.113.5'],
    ['trusted peer, one hop', '10.0.0.2', { 'x-forwarded-for': '110.185.39.26' }, '110.185.39.26'],
    ['trusted peer, no header', '10.0.0.2', {}, '10.0.0.2'],
    ['client-supplied spoof left of the real hop is skipped', '10.0.0.2',
      { 'x-forwarded-for': '6.6.6.6, 110.185.39.26' }, '110.185.39.26'],
    ['two trusted hops are walked', '10.0.0.2',
      { 'x-forwarded-for': '6.6.6.6, 110.185.39.26, 10.0.0.9' }, '110.185.39.26'],
    ['spaces and empty items', '10.0.0.2', { 'x-forwarded-for': ' 110.185.39.26 ,, 10.0.0.9 , ' }, '110.185.39.26'],
    ['garbage from the client side is never reached', '10.0.0.2',
      { 'x-forwarded-for': 'garbage, 110.185.39.26' }, '110.185.39.26'],
    ['garbage right after a trusted hop: the trusted hop is the answer', '10.0.0.2',
      { 'x-forwarded-for': '110.185.39.26, garbage, 10.0.0.9' }, '10.0.0.9'],
    ['garbage as the only entry: the peer', '10.0.0.2', { 'x-forwarded-for': 'unknown' }, '10.0.0.2'],
    ['ports are stripped', '10.0.0.2', { 'x-forwarded-for': '110.185.39.26:51234' }, '110.185.39.26'],
    ['bracketed IPv6 with port', '10.0.0.2', { 'x-forwarded-for': '[2400:da00::6666]:443' }, '2400:da00::6666'],
    ['bare IPv6 hop', '10.0.0.2', { 'x-forwarded-for': '2400:DA00:0::6666' }, '2400:da00::6666'],
    ['IPv6 trusted peer', 'fd00::1', { 'x-forwarded-for': '110.185.39.26' }, '110.185.39.26'],
    ['v4-mapped loopback peer is trusted', '::ffff:127.0.0.1', { 'x-forwarded-for': '8.8.8.8' }, '8.8.8.8'],
    ['uWS long-form peer', '0000:0000:0000:0000:0000:ffff:7f00:0001', { 'x-forwarded-for': '8.8.8.8' }, '8.8.8.8'],
    ['all hops trusted: leftmost', '10.0.0.2', { 'x-forwarded-for': '10.1.1.1, 10.0.0.9' }, '10.1.1.1'],
    ['header name case', '10.0.0.2', { 'X-Forwarded-For': '8.8.8.8' }, '8.8.8.8'],
    ['repeated headers joined in order', '10.0.0.2', { 'x-forwarded-for': ['6.6.6.6', '8.8.8.8'] }, '8.8.8.8'],
    ['untrusted peer is returned canonical', '::FFFF:203.0.113.5', {}, '203.0.113.5'],
  ])('%s', (_name, peer, headers, expected) => {
    expect(clientIp(peer, headers, TRUSTED)).toBe(expected);
  });

  it('returns an unparseable peer unchanged', () => {
    expect(clientIp('/run/app.sock', { 'x-forwarded-for': '1.1.1.1' }, TRUSTED)).toBe('/run/app.sock');
  });

  it('with no trusted proxies configured, XFF never matters', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.string(), (peer, xff) => {
        expect(clientIp(peer, { 'x-forwarded-for': xff }, [])).toBe(peer);
      }),
    );
  });

  it('an attacker behind a trusted proxy cannot choose the result', () => {
    // Whatever the client prepends, the proxy appends the real address last.
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.string())), fc.ipV4().filter((ip) => !ip.startsWith('10.') && ip !== '127.0.0.1'), (spoof, real) => {
        const xff = [...spoof, real].join(', ');
        expect(clientIp('10.0.0.2', { 'x-forwarded-for': xff }, TRUSTED)).toBe(real);
      }),
    );
  });

  it('headerValue is case-insensitive and joins arrays', () => {
    expect(headerValue({ DNT: '1' }, 'dnt')).toBe('1');
    expect(headerValue({ a: ['x', 'y'] }, 'A')).toBe('x, y');
    expect(headerValue({}, 'a')).toBeUndefined();
  });
});
