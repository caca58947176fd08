import { describe, expect, it } from 'vitest';
import {
  activeBlock, evaluateEdge, FOREIGN, normalizeRegionName, type EdgeRules, type ServiceRegionRule,
} from '../../server/src/domain/edge/blocking.js';

const NOW = Date.UTC(2026, 0, 1);
const CHENGDU = { country: '中国', province: '四川', city: '成都' };
const BEIJING = { country: '中国', province: '北京', city: '北京' };
const US = { country: '美国', province: '加利福尼亚州', city: '圣克拉拉' };

describe('C3 IP blocking', () => {
  it('block visitor: hidden from agents, cannot chat, widget offline', () => {
    const d = evaluateEdge({ blocks: [{ target: '110.185.39.26', mode: 'visitor', until: null }] },
      { ip: '110.185.39.26', region: CHENGDU, now: NOW });
    expect(d).toEqual({ visible: false, canChat: false, icon: 'offline', reason: 'blocked_visitor', until: null });
  });

  it('block chat: listed but cannot chat', () => {
    const d = evaluateEdge({ blocks: [{ target: '110.185.32.0/20', mode: 'chat', until: NOW + 1000 }] },
      { ip: '110.185.39.26', region: CHENGDU, now: NOW });
    expect(d).toEqual({ visible: true, canChat: false, icon: 'offline', reason: 'blocked_chat', until: NOW + 1000 });
  });

  it('an expired block no longer applies, exactly at its end time', () => {
    const rules: EdgeRules = { blocks: [{ target: '110.185.39.26', mode: 'visitor', until: NOW }] };
    expect(evaluateEdge(rules, { ip: '110.185.39.26', region: CHENGDU, now: NOW - 1 }).reason).toBe('blocked_visitor');
    expect(evaluateEdge(rules, { ip: '110.185.39.26', region: CHENGDU, now: NOW })).toEqual({
      visible: true, canChat: true, icon: 'normal',
    });
  });

  it('visitor block wins over a chat block listed first', () => {
    const b = activeBlock([
      { target: '110.185.0.0/16', mode: 'chat', until: null },
      { target: '110.185.39.26', mode: 'visitor', until: null },
    ], '110.185.39.26', NOW);
    expect(b?.mode).toBe('visitor');
  });

  it('matches IPv6 CIDRs and v4-mapped spellings', () => {
    const blocks = [
      { target: '2400:da00::/32', mode: 'visitor' as const, until: null },
      { target: '1.2.3.0/24', mode: 'chat' as const, until: null },
    ];
    expect(activeBlock(blocks, '2400:da00::6666', NOW)?.mode).toBe('visitor');
    expect(activeBlock(blocks, '::ffff:1.2.3.4', NOW)?.mode).toBe('chat');
    expect(activeBlock(blocks, '2400:db00::1', NOW)).toBeNull();
  });

  it('an invalid stored target or client address matches nothing instead of throwing', () => {
    const blocks = [{ target: 'not-an-ip', mode: 'visitor' as const, until: null }];
    expect(activeBlock(blocks, '1.2.3.4', NOW)).toBeNull();
    expect(activeBlock([{ target: '0.0.0.0/0', mode: 'visitor', until: null }], 'garbage', NOW)).toBeNull();
  });
});

describe('C4 service regions', () => {
  const rule = (over: Partial<ServiceRegionRule>): EdgeRules => ({
    blocks: [],
    regions: { enabled: true, mode: 'allow', regions: [], deniedIcon: 'hidden', ...over },
  });
  const at = (region: typeof CHENGDU | null) => ({ ip: '110.185.39.26', region, now: NOW });

  it.each<[string, Partial<ServiceRegionRule>, typeof CHENGDU | null, boolean]>([
    ['allow-list by province', { mode: 'allow', regions: ['四川'] }, CHENGDU, true],
    ['allow-list with suffix 四川省', { mode: 'allow', regions: ['四川省'] }, CHENGDU, true],
    ['allow-list by city with suffix', { mode: 'allow', regions: ['成都市'] }, CHENGDU, true],
    ['allow-list excludes others', { mode: 'allow', regions: ['四川'] }, BEIJING, false],
    ['allow-list province/city pair', { mode: 'allow', regions: ['四川/成都'] }, CHENGDU, true],
    ['pair needs both parts', { mode: 'allow', regions: ['北京/成都'] }, CHENGDU, false],
    ['deny-list by province', { mode: 'deny', regions: ['北京市'] }, BEIJING, false],
    ['deny-list lets others in', { mode: 'deny', regions: ['北京'] }, CHENGDU, true],
    ['deny foreign', { mode: 'deny', regions: [FOREIGN] }, US, false],
    ['deny foreign keeps 中国', { mode: 'deny', regions: [FOREIGN] }, CHENGDU, true],
    ['allow by country name', { mode: 'allow', regions: ['美国'] }, US, true],
    ['unknown region allowed by default under an allow-list', { mode: 'allow', regions: ['四川'] }, null, true],
    ['LAN is unknown', { mode: 'allow', regions: ['四川'] }, { country: '局域网', province: '', city: '' }, true],
    ['unknown refused when configured', { mode: 'allow', regions: ['四川'], allowUnknown: false }, null, false],
    ['disabled setting serves everyone', { enabled: false, mode: 'allow', regions: ['四川'] }, BEIJING, true],
    ['empty entries never match', { mode: 'deny', regions: ['', ' / '] }, CHENGDU, true],
  ])('%s', (_n, over, region, canChat) => {
    expect(evaluateEdge(rule(over), at(region)).canChat).toBe(canChat);
  });

  it.each(['hidden', 'disabled'] as const)('denied icon follows the setting: %s', (deniedIcon) => {
    const d = evaluateEdge(rule({ mode: 'deny', regions: ['四川'], deniedIcon }), at(CHENGDU));
    expect(d).toEqual({ visible: true, canChat: false, icon: deniedIcon, reason: 'region_denied' });
  });

  it('an IP block takes precedence over the region rule', () => {
    const d = evaluateEdge(
      { ...rule({ mode: 'deny', regions: ['四川'] }), blocks: [{ target: '110.185.39.26', mode: 'chat', until: null }] },
      at(CHENGDU),
    );
    expect(d.reason).toBe('blocked_chat');
  });

  it.each([
    ['广西壮族自治区', '广西'], ['新疆维吾尔自治区', '新疆'], ['香港特别行政区', '香港'], ['四川省', '四川'],
    ['成都市', '成都'], ['北京', '北京'], ['  上海市 ', '上海'], ['沙市', '沙市'],
  ])('normalizeRegionName(%s) = %s', (a, b) => {
    expect(normalizeRegionName(a)).toBe(b);
  });
});
