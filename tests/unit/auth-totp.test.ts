import { describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { generateTotpSecret, matchTotpStep, TotpReplayGuard } from '../../server/src/domain/totp.js';
import { authFixture, errorCode, PASSWORD } from './auth-helpers.js';

const codeAt = (secret: string, t: number) => new TOTP({ secret: Secret.fromBase32(secret), period: 30 }).generate({ timestamp: t });

describe('A2 TOTP', () => {
  it('A2 matches RFC 6238 SHA-1 test vector (6 digits)', () => {
    // RFC 6238 appendix B secret "12345678901234567890"; T=59 s gives 94287082 (8 digits) → 287082.
    const secret = new Secret({ buffer: new TextEncoder().encode('12345678901234567890').buffer as ArrayBuffer }).base32;
    expect(matchTotpStep(secret, '287082', 59_000)).toBe(1);
    expect(matchTotpStep(secret, '287083', 59_000)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', 59_000)).toBeNull();
  });

  it('A2 a code works once; the previous step is accepted, older ones are not', () => {
    const secret = generateTotpSecret();
    const guard = new TotpReplayGuard();
    const t = 1_700_000_010_000;
    expect(guard.verify('c:a', secret, codeAt(secret, t - 30_000), t)).toBe(true);
    expect(guard.verify('c:a', secret, codeAt(secret, t - 30_000), t)).toBe(false);
    expect(guard.verify('c:a', secret, codeAt(secret, t), t)).toBe(true);
    expect(guard.verify('c:a', secret, codeAt(secret, t), t + 1000)).toBe(false);
    // another agent's step history is separate
    expect(guard.verify('c:b', secret, codeAt(secret, t), t)).toBe(true);
    expect(guard.verify('c:x', secret, codeAt(secret, t - 60_000), t)).toBe(false);
  });

  it('A2 login needs the dynamic password when bound, and refuses a reused code', async () => {
    const f = await authFixture();
    const secret = generateTotpSecret();
    f.accounts.patchAgent(f.company.id, 'admin', { totpSecret: secret });
    const creds = { companyId: f.company.id, agentId: 'admin', password: PASSWORD };

    const missing = await f.login(creds);
    expect(missing.status).toBe(401);
    expect(errorCode(missing)).toBe('totp_required');
    expect(missing.cookies).toBeUndefined();

    const wrongPasswordGoodCode = await f.login({ ...creds, password: 'wrong password', totp: codeAt(secret, f.clock.t) });
    expect(errorCode(wrongPasswordGoodCode)).toBe('bad_credentials');

    const code = codeAt(secret, f.clock.t);
    const ok = await f.login({ ...creds, totp: code });
    expect(ok.status).toBe(200);

    const replay = await f.login({ ...creds, totp: code });
    expect(replay.status).toBe(401);
    expect(errorCode(replay)).toBe('bad_credentials');

    const wrong = await f.login({ ...creds, totp: code === '000000' ? '111111' : '000000' });
    expect(errorCode(wrong)).toBe('bad_credentials');

    f.clock.advance(30_000);
    expect((await f.login({ ...creds, totp: codeAt(secret, f.clock.t) })).status).toBe(200);
  });

  it('A2 wrong codes count toward the account limit', async () => {
    const f = await authFixture();
    const secret = generateTotpSecret();
    f.accounts.patchAgent(f.company.id, 'admin', { totpSecret: secret });
    const wrongCodes = Array.from({ length: 20 }, (_, i) => String(100000 + i)).filter((c) => matchTotpStep(secret, c, f.clock.t) === null);
    for (let i = 0; i < 5; i++) {
      const res = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD, totp: wrongCodes[i] }, `10.1.0.${i}`);
      expect(res.status).toBe(401);
    }
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD, totp: '123456' })).status).toBe(429);
  });
});
