// Edge rules that decide, before any chat starts, whether a visitor is listed to
// agents and may request a chat.
//  C3 IP blocking (manual 10.x "访客阻止"): "block visitor" hides the visitor from
//     the live list and refuses chats; "block chat" keeps them listed but refuses
//     chats. Either way the widget shows the company as offline. Optional end time.
//  C4 service regions (manual 7.4): allow-list ("开放服务") or deny-list ("禁止服务");
//     a denied visitor's icon is either not shown or shown disabled (setting).
// Precedence: blocked visitor > blocked chat > region.
import { cidrContains, parseCidr, parseIp } from './cidr.js';

export interface IpBlockRule {
  /** An address or CIDR. */
  target: string;
  mode: 'visitor' | 'chat';
  /** Epoch ms; null = until removed. The rule stops applying at this instant. */
  until: number | null;
}

export interface ServiceRegionRule {
  enabled: boolean;
  mode: 'allow' | 'deny';
  /**
   * Names as the IP data spells them or with their administrative suffix
   * ("四川" or "四川省", "成都" or "成都市", "美国"), a "province/city" pair
   * ("四川/成都"), or FOREIGN (= "其他地区和国家", any country but 中国).
   */
  regions: readonly string[];
  deniedIcon: 'hidden' | 'disabled';
  /**
   * Visitors whose region is unknown (LAN, no data). Default true: an allow-list
   * must not lock out everyone when the IP data has no answer.
   */
  allowUnknown?: boolean;
}

export interface EdgeRules {
  blocks: readonly IpBlockRule[];
  regions?: ServiceRegionRule | null;
}

export interface VisitorRegion {
  country: string;
  province: string;
  city: string;
}

export type EdgeReason = 'blocked_visitor' | 'blocked_chat' | 'region_denied';

export interface EdgeDecision {
  /** Listed in the agents' live visitor list. */
  visible: boolean;
  canChat: boolean;
  /** What the widget shows. */
  icon: 'normal' | 'offline' | 'hidden' | 'disabled';
  reason?: EdgeReason;
  /** For a block: when it ends (null = indefinite), so callers can cache the decision. */
  until?: number | null;
}

export const FOREIGN = '其他地区和国家';
const HOME_COUNTRY = '中国';

// Longest first so "广西壮族自治区" loses the whole suffix, not just "区".
const SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '自治州', '地区', '省', '市'];

/** "四川省" → "四川", "成都市" → "成都"; leaves one-character names alone. */
export function normalizeRegionName(name: string): string {
  const s = name.trim();
  for (const suf of SUFFIXES) {
    if (s.length > suf.length + 1 && s.endsWith(suf)) return s.slice(0, -suf.length);
  }
  return s;
}

export function isValidBlockTarget(target: string): boolean {
  return parseCidr(target) !== null;
}

function regionMatches(entry: string, r: VisitorRegion): boolean {
  const e = entry.trim();
  if (e === FOREIGN || e.toLowerCase() === 'foreign') return r.country !== '' && r.country !== HOME_COUNTRY;
  const names = [r.country, r.province, r.city].filter((x) => x !== '').map(normalizeRegionName);
  const parts = e.split('/').map(normalizeRegionName).filter((x) => x !== '');
  if (parts.length === 0) return false;
  if (parts.length === 1) return names.includes(parts[0]!);
  // "四川/成都": every part must be present, so 成都 in another province would not match.
  return parts.every((p) => names.includes(p));
}

function regionKnown(r: VisitorRegion | null): r is VisitorRegion {
  return r !== null && r.country !== '' && r.country !== '局域网' && r.country !== 'IANA';
}

/** The first block rule in force for this address, "visitor" rules winning over "chat" rules. */
export function activeBlock(
  blocks: readonly IpBlockRule[],
  ip: string,
  now: number,
): IpBlockRule | null {
  const addr = parseIp(ip);
  if (!addr) return null;
  let chat: IpBlockRule | null = null;
  for (const b of blocks) {
    if (b.until !== null && b.until <= now) continue;
    // An invalid stored target must not take the whole gate down: it matches nothing.
    const cidr = parseCidr(b.target);
    if (!cidr || !cidrContains(cidr, addr)) continue;
    if (b.mode === 'visitor') return b;
    chat ??= b;
  }
  return chat;
}

export function evaluateEdge(
  rules: EdgeRules,
  ctx: { ip: string; region: VisitorRegion | null; now: number },
): EdgeDecision {
  const block = activeBlock(rules.blocks, ctx.ip, ctx.now);
  if (block?.mode === 'visitor') {
    return { visible: false, canChat: false, icon: 'offline', reason: 'blocked_visitor', until: block.until };
  }
  if (block?.mode === 'chat') {
    return { visible: true, canChat: false, icon: 'offline', reason: 'blocked_chat', until: block.until };
  }
  const reg = rules.regions;
  if (reg?.enabled) {
    let denied: boolean;
    if (!regionKnown(ctx.region)) {
      denied = !(reg.allowUnknown ?? true);
    } else {
      const region = ctx.region;
      const listed = reg.regions.some((e) => regionMatches(e, region));
      denied = reg.mode === 'allow' ? !listed : listed;
    }
    if (denied) {
      // The manual's "不出现图片" hides only the icon; agents still see the visitor.
      return { visible: true, canChat: false, icon: reg.deniedIcon, reason: 'region_denied' };
    }
  }
  return { visible: true, canChat: true, icon: 'normal' };
}
