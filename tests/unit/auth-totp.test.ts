import { describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { generateTotpSecret, matchTotpStep, TotpReplayGuard } from '../../server/src/domain/totp.js';
import { authFixture, errorCode, PASSWORD, sessionIdFrom } from './auth-helpers.js';

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

  it('A2 bind: setup proposes a secret, a valid code binds it, and login then needs it', async () => {
    const f = await authFixture();
    const login = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    const auth = await f.authFor(sessionIdFrom(login));
    expect((await f.call('GET', '/api/v1/auth/totp', { auth })).body).toEqual({ bound: false });

    const setup = await f.call('POST', '/api/v1/auth/totp/setup', { auth });
    const { secret, uri } = setup.body as { secret: string; uri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toContain(`otpauth://totp/Switchboard:admin%40${f.company.id}?`);
    expect(uri).toContain(`secret=${secret}`);
    // nothing is stored until a code proves the phone has the secret
    expect((await f.accounts.agentForLogin(f.company.id, 'admin'))!.totpSecret).toBeNull();

    const wrongCode = ['000000', '111111'].find((c) => matchTotpStep(secret, c, f.clock.t) === null)!;
    const bad = await f.call('POST', '/api/v1/auth/totp/bind', { auth, body: { secret, code: wrongCode } });
    expect(bad.status).toBe(400);
    expect((await f.call('POST', '/api/v1/auth/totp/bind', { auth, body: { secret: 'lower', code: '123456' } })).status).toBe(400);

    const code = codeAt(secret, f.clock.t);
    expect((await f.call('POST', '/api/v1/auth/totp/bind', { auth, body: { secret, code } })).body).toEqual({ bound: true });
    expect((await f.call('GET', '/api/v1/auth/totp', { auth })).body).toEqual({ bound: true });
    expect((await f.call('POST', '/api/v1/auth/totp/bind', { auth, body: { secret, code } })).status).toBe(409);

    const creds = { companyId: f.company.id, agentId: 'admin', password: PASSWORD };
    expect(errorCode(await f.login(creds))).toBe('totp_required');
    // the code used for binding is spent
    expect(errorCode(await f.login({ ...creds, totp: code }))).toBe('bad_credentials');
    f.clock.advance(30_000);
    expect((await f.login({ ...creds, totp: codeAt(secret, f.clock.t) })).status).toBe(200);
  });

  it('A2 unbind needs the password and a fresh code, after which login needs neither code', async () => {
    const f = await authFixture();
    const secret = generateTotpSecret();
    f.accounts.patchAgent(f.company.id, 'admin', { totpSecret: secret });
    const creds = { companyId: f.company.id, agentId: 'admin', password: PASSWORD };
    const login = await f.login({ ...creds, totp: codeAt(secret, f.clock.t) });
    const auth = await f.authFor(sessionIdFrom(login));
    f.clock.advance(30_000);
    const code = codeAt(secret, f.clock.t);

    const wrongPassword = await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: 'wrong password', code } });
    expect(wrongPassword.status).toBe(401);
    expect((await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: PASSWORD } })).status).toBe(400);
    expect((await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: PASSWORD, code } })).body).toEqual({ bound: false });
    expect((await f.accounts.agentForLogin(f.company.id, 'admin'))!.totpSecret).toBeNull();
    expect((await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: PASSWORD, code } })).status).toBe(409);
    expect((await f.login(creds)).status).toBe(200);
  });

  it('A2 unbind attempts share the account failure limit', async () => {
    const f = await authFixture();
    const secret = generateTotpSecret();
    const login = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    const auth = await f.authFor(sessionIdFrom(login));
    f.accounts.patchAgent(f.company.id, 'admin', { totpSecret: secret });
    for (let i = 0; i < 5; i++) {
      expect((await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: `guess ${i} password`, code: '123456' } })).status).toBe(401);
    }
    expect((await f.call('POST', '/api/v1/auth/totp/unbind', { auth, body: { password: PASSWORD, code: codeAt(secret, f.clock.t) } })).status).toBe(429);
  });

  it('A2 TOTP routes need a session', async () => {
    const f = await authFixture();
    for (const path of ['/api/v1/auth/totp/setup', '/api/v1/auth/totp/bind', '/api/v1/auth/totp/unbind']) {
      expect((await f.call('POST', path, { body: {} })).status).toBe(401);
    }
  });
});
