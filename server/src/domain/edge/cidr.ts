// IPv4/IPv6 parsing and CIDR matching without a dependency. Used by client-ip
// (trusted proxies), visitor blocking (C3) and the login IP allowlist (A3).
// IPv4-mapped IPv6 (::ffff:a.b.c.d, which dual-stack sockets report) is folded
// into IPv4 so one rule "1.2.3.0/24" covers both spellings.

export interface ParsedIp {
  version: 4 | 6;
  /** 4 or 16 bytes, network order */
  bytes: Uint8Array;
}

export interface Cidr extends ParsedIp {
  prefix: number;
}

function parseV4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(s: string): Uint8Array | null {
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (s.length < 2 || s.length > 45) return null;
  let tail: number[] = [];
  // An embedded dotted quad occupies the last 32 bits.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    // Two placeholder groups keep the "::" arithmetic right; overwritten below.
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (h: string): number[] | null => {
    if (h === '') return [];
    const groups = h.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const rest = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !rest) return null;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  if (tail.length) groups.splice(6, 2, ...tail);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Parses an address; accepts "[v6]" brackets and zone ids; folds v4-mapped v6 into v4. */
export function parseIp(input: string): ParsedIp | null {
  let s = input.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.includes(':')) {
    const b = parseV6(s);
    if (!b) return null;
    if (isV4Mapped(b)) return { version: 4, bytes: b.slice(12) };
    return { version: 6, bytes: b };
  }
  const b = parseV4(s);
  return b ? { version: 4, bytes: b } : null;
}

/** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function formatIp(ip: ParsedIp): string {
  if (ip.version === 4) return Array.from(ip.bytes).join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // Longest run of two or more zero groups becomes "::" (first one on ties).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical form of an address, or null when it is not one. */
export function normalizeIp(input: string): string | null {
  const p = parseIp(input);
  return p ? formatIp(p) : null;
}

/** "10.0.0.0/8", "2001:db8::/32" or a bare address (a host route). Host bits must be zero. */
export function parseCidr(input: string): Cidr | null {
  const s = input.trim();
  const slash = s.indexOf('/');
  const addr = parseIp(slash === -1 ? s : s.slice(0, slash));
  if (!addr) return null;
  const max = addr.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    // "::ffff:10.0.0.0/104" was folded to v4: translate the prefix too.
    if (addr.version === 4 && s.slice(0, slash).includes(':')) prefix -= 96;
    if (prefix < 0 || prefix > max) return null;
  }
  if (!hostBitsZero(addr.bytes, prefix)) return null;
  return { ...addr, prefix };
}

function hostBitsZero(b: Uint8Array, prefix: number): boolean {
  for (let bit = prefix; bit < b.length * 8; bit++) {
    if ((b[bit >> 3]! >> (7 - (bit & 7))) & 1) return false;
  }
  return true;
}

export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.version !== ip.version) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (cidr.bytes[i] !== ip.bytes[i]) return false;
  const rem = cidr.prefix & 7;
  if (rem === 0) return true;
  const mask = (0xff << (8 - rem)) & 0xff;
  return (cidr.bytes[full]! & mask) === (ip.bytes[full]! & mask);
}

export type IpMatcher = (ip: string | ParsedIp) => boolean;

/**
 * Compiles a list of addresses and CIDRs. Throws on an invalid entry so that a
 * typo in configuration is caught at load time rather than silently matching nothing.
 */
export function createIpMatcher(entries: readonly string[]): IpMatcher {
  const cidrs = entries.map((e) => {
    const c = parseCidr(e);
    if (!c) throw new Error(`invalid IP or CIDR: ${JSON.stringify(e)}`);
    return c;
  });
  return (ip) => {
    const p = typeof ip === 'string' ? parseIp(ip) : ip;
    if (!p) return false;
    return cidrs.some((c) => cidrContains(c, p));
  };
}

const NON_PUBLIC = createIpMatcher([
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16',
  '172.16.0.0/12', '192.168.0.0/16', '::/128', '::1/128', 'fc00::/7', 'fe80::/10',
]);

/** Loopback, private (RFC 1918 / ULA), CGNAT, link-local or unspecified. */
export function isNonPublicIp(ip: string | ParsedIp): boolean {
  return NON_PUBLIC(ip);
}
