import { describe, expect, it } from 'vitest';
import { authFixture, errorCode, PASSWORD, sessionIdFrom } from './auth-helpers.js';

describe('A1 sessions', () => {
  it('A1 me returns the agent, company and CSRF token of the session', async () => {
    const f = await authFixture();
    const login = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    const auth = await f.authFor(sessionIdFrom(login));
    const me = await f.call('GET', '/api/v1/auth/me', { auth });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      agent: (login.body as { agent: unknown }).agent,
      companyId: f.company.id,
      csrfToken: (login.body as { csrfToken: string }).csrfToken,
    });
  });

  it('A1 me without a session, or for a disabled agent, is 401', async () => {
    const f = await authFixture();
    expect((await f.call('GET', '/api/v1/auth/me')).status).toBe(401);
    const login = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    const auth = await f.authFor(sessionIdFrom(login));
    f.accounts.patchAgent(f.company.id, 'admin', { disabled: true });
    const me = await f.call('GET', '/api/v1/auth/me', { auth });
    expect(me.status).toBe(401);
    expect(errorCode(me)).toBe('unauthorized');
  });

  it('A4 logout deletes the session, clears the cookie and writes a logout row', async () => {
    const f = await authFixture();
    const login = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, '192.0.2.9');
    const sid = sessionIdFrom(login);
    const auth = await f.authFor(sid);
    f.clock.advance(60_000);
    const out = await f.call('POST', '/api/v1/auth/logout', { auth, ip: '192.0.2.9' });
    expect(out.status).toBe(200);
    expect(out.cookies?.[0]).toMatch(/^sb_session=; HttpOnly; SameSite=Lax; Path=\/; Max-Age=0/);
    expect(await f.accounts.session(sid)).toBeNull();
    const log = await f.accounts.loginLog(f.company.id, { limit: 10, offset: 0 });
    expect(log.map((r) => r.event)).toEqual(['logout', 'login']);
    expect(log[0]).toMatchObject({ agentId: 'admin', ip: '192.0.2.9', type: 'console' });
    // online duration (A4) is derivable from the pair
    expect(log[0]!.at - log[1]!.at).toBe(60_000);
  });

  it('A1 sessions expire after the configured TTL', async () => {
    const f = await authFixture({ sessionTtlMs: 3600_000 });
    const sid = sessionIdFrom(await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }));
    f.clock.advance(3600_000 - 1);
    expect(await f.accounts.session(sid)).not.toBeNull();
    f.clock.advance(1);
    expect(await f.accounts.session(sid)).toBeNull();
  });
});
