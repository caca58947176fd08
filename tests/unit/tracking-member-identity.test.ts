import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { signMemberToken, verifyMemberToken } from '../../server/src/domain/tracking/member-identity.js';

const SECRET = 'company-secret-0123456789';
const NOW = Date.UTC(2026, 0, 1, 8);
const nowSec = NOW / 1000;
const opts = { secrets: [SECRET], now: NOW };

describe('L1 signed member identity', () => {
  it('accepts a valid token and returns the member', () => {
    const token = signMemberToken({ memberId: 'm-42', name: '张三', email: 'z@example.com', exp: nowSec + 600, data: { level: 'VIP', points: 120, verified: true } }, SECRET);
    expect(verifyMemberToken(token, opts)).toEqual({
      ok: true,
      member: { memberId: 'm-42', name: '张三', email: 'z@example.com', phone: null, data: { level: 'VIP', points: 120, verified: true }, exp: nowSec + 600 },
    });
  });

  it('matches an independent implementation of the documented format (the docs\' Node example)', () => {
    const payload = Buffer.from(JSON.stringify({ memberId: 7, exp: nowSec + 60 })).toString('base64url');
    const sig = createHmac('sha256', SECRET).update(payload).digest('base64url');
    const r = verifyMemberToken(`${payload}.${sig}`, opts);
    expect(r).toMatchObject({ ok: true, member: { memberId: '7', name: null } });
  });

  it('accepts a token from PHP-style base64 without padding chars', () => {
    // PHP: rtrim(strtr(base64_encode($json), '+/', '-_'), '=')
    const json = '{"memberId":"p1","name":"Li","exp":' + (nowSec + 60) + '}';
    const payload = Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const sig = createHmac('sha256', SECRET).update(payload).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(verifyMemberToken(`${payload}.${sig}`, opts).ok).toBe(true);
  });

  it('verifies the test vector published in docs/member-integration.md', () => {
    const token = 'eyJtZW1iZXJJZCI6InUtMTAwMSIsImV4cCI6MTg5MzQ1NjAwMH0.7zcDZUwilR33EAHQ2inGYGHUSX2HXe8njpH0DY_ANFg';
    const r = verifyMemberToken(token, { secrets: [SECRET], now: (1893456000 - 3600) * 1000 });
    expect(r).toMatchObject({ ok: true, member: { memberId: 'u-1001', exp: 1893456000 } });
    expect(signMemberToken({ memberId: 'u-1001', exp: 1893456000 }, SECRET)).toBe(token);
  });

  it('accepts the previous secret during rotation', () => {
    const token = signMemberToken({ memberId: 'm', exp: nowSec + 60 }, 'old-secret');
    expect(verifyMemberToken(token, { secrets: [SECRET, 'old-secret'], now: NOW }).ok).toBe(true);
    expect(verifyMemberToken(token, opts)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  const good = signMemberToken({ memberId: 'm', exp: nowSec + 60 }, SECRET);
  const [body, sig] = good.split('.') as [string, string];
  it.each<[string, string | null | undefined, string]>([
    ['missing', undefined, 'missing'],
    ['null', null, 'missing'],
    ['empty', '  ', 'missing'],
    ['no dot', body, 'malformed'],
    ['three parts', `${body}.${sig}.x`, 'malformed'],
    ['non base64url chars', `${body}.${sig.slice(0, -1)}=`, 'malformed'],
    ['truncated signature', `${body}.${sig.slice(0, 20)}`, 'bad_signature'],
    ['signature of another payload', `${signMemberToken({ memberId: 'x', exp: nowSec + 60 }, SECRET).split('.')[0]}.${sig}`, 'bad_signature'],
    ['tampered payload', `${Buffer.from(JSON.stringify({ memberId: 'admin', exp: nowSec + 60 })).toString('base64url')}.${sig}`, 'bad_signature'],
    ['over-long', `${'a'.repeat(5000)}.${sig}`, 'malformed'],
  ])('%s → %s', (_n, token, reason) => {
    expect(verifyMemberToken(token, opts)).toEqual({ ok: false, reason });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['expired beyond the skew', { memberId: 'm', exp: nowSec - 121 }, 'expired'],
    ['lifetime too long', { memberId: 'm', exp: nowSec + 7 * 86_400 }, 'lifetime_too_long'],
    ['issued in the future', { memberId: 'm', exp: nowSec + 600, iat: nowSec + 3600 }, 'not_yet_valid'],
    ['no memberId', { exp: nowSec + 60 }, 'invalid_payload'],
    ['blank memberId', { memberId: ' ', exp: nowSec + 60 }, 'invalid_payload'],
    ['no exp', { memberId: 'm' }, 'invalid_payload'],
    ['string exp', { memberId: 'm', exp: String(nowSec + 60) }, 'invalid_payload'],
    ['nested data', { memberId: 'm', exp: nowSec + 60, data: { a: { b: 1 } } }, 'invalid_payload'],
    ['name not a string', { memberId: 'm', exp: nowSec + 60, name: 5 }, 'invalid_payload'],
  ])('%s', (_n, payload, reason) => {
    expect(verifyMemberToken(signMemberToken(payload, SECRET), opts)).toEqual({ ok: false, reason });
  });

  it('signed non-JSON is an invalid payload, not a crash', () => {
    const b = Buffer.from('not json').toString('base64url');
    const s = createHmac('sha256', SECRET).update(b).digest('base64url');
    expect(verifyMemberToken(`${b}.${s}`, opts)).toEqual({ ok: false, reason: 'invalid_payload' });
  });

  it('within the clock skew an expired token still passes', () => {
    expect(verifyMemberToken(signMemberToken({ memberId: 'm', exp: nowSec - 60 }, SECRET), opts).ok).toBe(true);
  });

  it('an empty secret never validates anything', () => {
    const t = signMemberToken({ memberId: 'm', exp: nowSec + 60 }, '');
    expect(verifyMemberToken(t, { secrets: [''], now: NOW })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('no single-character change to a token is accepted', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.constantFrom(...chars), (i, c) => {
        fc.pre(good[i] !== c);
        const mutated = good.slice(0, i) + c + good.slice(i + 1);
        // The last base64url char of a 32-byte MAC carries 2 unused bits: only
        // changes that alter the decoded bytes count as changes.
        fc.pre(!(mutated.split('.').length === 2 && Buffer.from(mutated.split('.')[1]!, 'base64url').equals(Buffer.from(sig, 'base64url'))
          && mutated.split('.')[0] === body));
        expect(verifyMemberToken(mutated, opts).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
