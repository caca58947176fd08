// The visitor's address behind reverse proxies. X-Forwarded-For is written by
// whoever sends the request, so it is believed only hop by hop: starting at the
// socket peer, each address that is a trusted proxy vouches for the entry to its
// left. The first untrusted address is the client. A spoofed header from an
// untrusted peer therefore changes nothing.
import { createIpMatcher, normalizeIp, parseIp, type IpMatcher } from './cidr.js';

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Header value by case-insensitive name; repeated headers are joined with ", ". */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const lower = name.toLowerCase();
  let v = headers[lower];
  if (v === undefined) {
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === lower) { v = headers[k]; break; }
    }
  }
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v.join(', ');
}

/** Strips a port ("1.2.3.4:80", "[::1]:80") and quotes; returns the canonical address or null. */
function hopAddress(raw: string): string | null {
  let s = raw.trim().replace(/^"(.*)"$/, '$1');
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracket) s = bracket[1]!;
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  return normalizeIp(s);
}

const matcherCache = new WeakMap<readonly string[], IpMatcher>();

function trustedMatcher(trusted: readonly string[] | IpMatcher): IpMatcher {
  if (typeof trusted === 'function') return trusted;
  let m = matcherCache.get(trusted);
  if (!m) {
    m = createIpMatcher(trusted);
    matcherCache.set(trusted, m);
  }
  return m;
}

/**
 * @param remoteAddr the socket peer as the server reports it (any IPv4/IPv6 spelling)
 * @param trustedProxies addresses and CIDRs of our own proxies/load balancers, or a compiled matcher
 * @returns canonical client address; the raw remoteAddr when it is not parseable
 *   (a unix socket, for example), so callers always get something to log.
 */
export function clientIp(
  remoteAddr: string,
  headers: HeaderBag,
  trustedProxies: readonly string[] | IpMatcher,
): string {
  const peer = normalizeIp(remoteAddr);
  if (!peer) return remoteAddr;
  const isTrusted = trustedMatcher(trustedProxies);
  if (!isTrusted(peer)) return peer;
  const xff = headerValue(headers, 'x-forwarded-for');
  if (!xff) return peer;
  const hops = xff.split(',');
  let current = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const raw = hops[i]!;
    if (raw.trim() === '') continue; // "a,,b" and trailing commas are noise, not a hop
    const hop = hopAddress(raw);
    // Garbage written by a trusted hop: nothing to its left can be believed, and
    // the trusted proxy itself is the best address we know.
    if (!hop) return current;
    current = hop;
    if (!isTrusted(parseIp(hop)!)) return hop;
  }
  // Every hop is one of ours (an internal health check, say): the leftmost is the origin.
  return current;
}
