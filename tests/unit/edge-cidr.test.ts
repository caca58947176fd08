import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cidrContains, createIpMatcher, formatIp, isNonPublicIp, normalizeIp, parseCidr, parseIp,
} from '../../server/src/domain/edge/cidr.js';

describe('edge/cidr parsing', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['::', '::'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:110.185.39.26', '110.185.39.26'],
    ['0000:0000:0000:0000:0000:ffff:7f00:0001', '127.0.0.1'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
  ])('normalizes %s to %s', (input, out) => {
    expect(normalizeIp(input)).toBe(out);
  });

  it.each([
    '', 'garbage', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-1', '1:2:3:4:5:6:7:8:9',
    '1::2::3', ':::', '12345::', 'g::1', '1.2.3.4:80', 'unknown', '::1.2.3', '1:2:3:4:5:6:7::8:9',
  ])('refuses %j', (input) => {
    expect(parseIp(input)).toBeNull();
  });

  it('round-trips any IPv6 through format and parse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const p = { version: 6 as const, bytes };
        const back = parseIp(formatIp(p))!;
        const mapped = bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 255 && bytes[11] === 255;
        const expected = mapped ? bytes.slice(12) : bytes;
        expect(Array.from(back.bytes)).toEqual(Array.from(expected));
      }),
    );
  });

  it('round-trips any IPv4', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(normalizeIp(ip)).toBe(ip);
      }),
    );
  });
});

describe('edge/cidr matching', () => {
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.0/24', '192.168.1.255', true],
    ['192.168.1.0/24', '192.168.2.0', false],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['1.2.3.4', '1.2.3.4', true],
    ['1.2.3.4', '1.2.3.5', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '::1', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['1.2.3.0/24', '::ffff:1.2.3.9', true],
    ['::ffff:1.2.3.0/120', '1.2.3.9', true],
    ['::/0', '2400:da00::6666', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr)!, parseIp(ip)!)).toBe(expected);
  });

  it.each(['10.0.0.1/8', '10.0.0.0/33', '::/129', '1.2.3.4/', '1.2.3.4/-1', '/8', 'x/8', '2001:db8::1/32'])(
    'refuses CIDR %j (host bits set or bad prefix)',
    (c) => {
      expect(parseCidr(c)).toBeNull();
    },
  );

  it('a /n network contains exactly the addresses sharing its first n bits', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (a, b, n) => {
        const toInt = (s: string) => s.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
        const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
        const net = (toInt(a) & mask) >>> 0;
        const netStr = [24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.');
        const contains = cidrContains(parseCidr(`${netStr}/${n}`)!, parseIp(b)!);
        expect(contains).toBe(((toInt(b) & mask) >>> 0) === net);
      }),
    );
  });

  it('createIpMatcher matches any entry and throws on a typo', () => {
    const m = createIpMatcher(['10.0.0.0/8', '2001:db8::/32', '203.0.113.7']);
    expect(m('10.1.1.1')).toBe(true);
    expect(m('2001:db8::5')).toBe(true);
    expect(m('203.0.113.7')).toBe(true);
    expect(m('203.0.113.8')).toBe(false);
    expect(m('not an ip')).toBe(false);
    expect(() => createIpMatcher(['10.0.0.0/8', '10.0.0.300'])).toThrow(/10\.0\.0\.300/);
  });

  it.each([
    ['127.0.0.1', true], ['10.2.3.4', true], ['192.168.0.1', true], ['172.20.0.1', true],
    ['100.64.1.1', true], ['::1', true], ['fd00::1', true], ['fe80::1', true], ['::ffff:192.168.1.1', true],
    ['110.185.39.26', false], ['8.8.8.8', false], ['2400:da00::6666', false], ['garbage', false],
  ])('isNonPublicIp(%s) = %s', (ip, expected) => {
    expect(isNonPublicIp(ip)).toBe(expected);
  });
});
