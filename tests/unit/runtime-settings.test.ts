// Routing settings and invite rules as stored and as the REST routes accept them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMPANY_ROUTING, mergeRoutingSettings, parseInviteRule, storedInviteRules, storedRoutingSettings } from '../../server/src/runtime/routing-settings.js';
import { dayKey } from '../../server/src/runtime/day-key.js';
import { KeyedSerial } from '../../server/src/runtime/keyed-serial.js';

describe('routing settings', () => {
  it('defaults to manual accept; a patch changes only its fields; bad values are refused with the field named', () => {
    expect(storedRoutingSettings(null)).toEqual(DEFAULT_COMPANY_ROUTING);
    expect(DEFAULT_COMPANY_ROUTING.autoAssign).toBe(false);
    const r = mergeRoutingSettings(DEFAULT_COMPANY_ROUTING, { autoAssign: true, mode: 'sales', texts: { welcome: 'Hi' } });
    expect(r.ok && r.value).toMatchObject({ autoAssign: true, mode: 'sales', texts: { welcome: 'Hi', waiting: '' }, offerTimeoutMs: 30_000 });
    for (const bad of [{ mode: 'x' }, { offerTimeoutMs: 5 }, { texts: { greeting: 'x' } }, { nope: 1 }, [], 'x']) {
      const res = mergeRoutingSettings(DEFAULT_COMPANY_ROUTING, bad);
      expect(res.ok, JSON.stringify(bad)).toBe(false);
    }
    expect(storedRoutingSettings({ mode: 'garbage' })).toEqual(DEFAULT_COMPANY_ROUTING);
  });

  it('invite rules get defaults, keep a scope, and invalid stored rules are dropped', () => {
    const r = parseInviteRule({ id: 'r1', greeting: 'Hello {region}', scope: { kind: 'group', groupId: 'sales' } });
    expect(r.ok && r.value).toMatchObject({ id: 'r1', mode: 'once', countPer: 'visitor', kind: 'popup', delayMs: 10_000, scope: { kind: 'group', groupId: 'sales' } });
    expect(parseInviteRule({ id: 'bad id' }).ok).toBe(false);
    expect(parseInviteRule({ id: 'r2', scope: { kind: 'planet' } }).ok).toBe(false);
    expect(storedInviteRules([{ id: 'ok' }, { id: '' }, 'x']).map((x) => x.id)).toEqual(['ok']);
  });
});

describe('company day and serial effects', () => {
  it('the day key follows the company time zone', () => {
    const at = Date.UTC(2025, 0, 1, 17, 0); // 01:00 on Jan 2 in Shanghai
    expect(dayKey('Asia/Shanghai', at)).toBe('2025-01-02');
    expect(dayKey('UTC', at)).toBe('2025-01-01');
    expect(dayKey('Not/AZone', at)).toBe('2025-01-01');
  });

  it('runs work per key in call order, even when an earlier step fails', async () => {
    const s = new KeyedSerial();
    const seen: string[] = [];
    const a = s.run('k', async () => { await new Promise((r) => setTimeout(r, 20)); seen.push('a'); throw new Error('a failed'); });
    const b = s.run('k', () => { seen.push('b'); });
    const other = s.run('j', () => { seen.push('j'); });
    await expect(a).rejects.toThrow('a failed');
    await b;
    await other;
    expect(seen).toEqual(['j', 'a', 'b']);
    await s.idle();
  });
});
