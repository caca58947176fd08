import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../server/src/ports/account-store.js';
import { hashPassword } from '../../server/src/domain/passwords.js';
import { authFixture, errorCode, PASSWORD, sessionIdFrom } from './auth-helpers.js';

describe('A1 login', () => {
  it('A1 login succeeds with company ID, agent ID and password and sets an HttpOnly SameSite cookie', async () => {
    const f = await authFixture();
    const res = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    expect(res.status).toBe(200);
    const body = res.body as { agent: { id: string; name: string; role: string; permissions: string[] }; companyId: string; csrfToken: string };
    expect(body.companyId).toBe(f.company.id);
    expect(body.agent).toEqual({ id: 'admin', name: 'Alice', role: 'admin', permissions: [...PERMISSIONS] });
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(body)).not.toContain('passwordHash');

    const cookie = res.cookies?.[0] ?? '';
    expect(cookie).toMatch(/^sb_session=[A-Za-z0-9_-]{32,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${8 * 3600}`);
    expect(cookie).not.toContain('Secure');

    const session = await f.accounts.session(sessionIdFrom(res));
    expect(session).toMatchObject({ companyId: f.company.id, agentId: 'admin', csrfToken: body.csrfToken });
  });

  it('A1 the cookie is Secure when secureCookies is on', async () => {
    const f = await authFixture({ secureCookies: true });
    const res = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD });
    expect(res.cookies?.[0]).toMatch(/; Secure$/);
  });

  it('A1 unknown company, unknown agent, wrong password and disabled agent get the identical 401', async () => {
    const f = await authFixture();
    await f.accounts.createAgent(f.company.id, { id: 'bob', name: 'Bob', passwordHash: await hashPassword(PASSWORD) });
    f.accounts.patchAgent(f.company.id, 'bob', { disabled: true });
    const other = await f.accounts.createCompany({ name: 'Other', admin: { id: 'carol', name: 'Carol', passwordHash: await hashPassword(PASSWORD) } });

    const attempts = [
      { companyId: '99999999', agentId: 'admin', password: PASSWORD },
      { companyId: f.company.id, agentId: 'nobody', password: PASSWORD },
      { companyId: f.company.id, agentId: 'admin', password: 'wrong password' },
      { companyId: f.company.id, agentId: 'bob', password: PASSWORD },
      // an agent of another company is unknown here: lookups are company-scoped
      { companyId: f.company.id, agentId: other.admin.id, password: PASSWORD },
    ];
    const answers = [];
    for (const [i, a] of attempts.entries()) {
      const res = await f.login(a, `198.51.100.${i}`);
      answers.push({ status: res.status, body: res.body, cookies: res.cookies, headers: res.headers });
    }
    expect(answers[0]).toEqual({ status: 401, body: { error: { code: 'bad_credentials', message: expect.any(String) } }, cookies: undefined, headers: undefined });
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it('A1 bad login bodies get 400 JSON with code bad_request', async () => {
    const f = await authFixture();
    const bodies: unknown[] = [
      undefined, null, 'text', [], {},
      { companyId: f.company.id, agentId: 'admin' },
      { companyId: 12345678, agentId: 'admin', password: PASSWORD },
      { companyId: f.company.id, agentId: '', password: PASSWORD },
      { companyId: f.company.id, agentId: 'admin', password: '' },
      { companyId: f.company.id, agentId: 'admin', password: 'x'.repeat(129) },
      { companyId: 'a b', agentId: 'admin', password: PASSWORD },
      { companyId: f.company.id, agentId: 'admin', password: PASSWORD, totp: 123456 },
    ];
    for (const body of bodies) {
      const res = await f.call('POST', '/api/v1/auth/login', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(res)).toBe('bad_request');
    }
  });

  it('A4 login log records login and failed attempts with IP and type console', async () => {
    const f = await authFixture();
    await f.login({ companyId: f.company.id, agentId: 'admin', password: 'not the password' }, '192.0.2.1');
    await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, '192.0.2.2');
    // unknown agents have no row to attach to, so they are not logged
    await f.login({ companyId: f.company.id, agentId: 'ghost', password: PASSWORD }, '192.0.2.3');
    const log = await f.accounts.loginLog(f.company.id, { limit: 10, offset: 0 });
    expect(log.map(({ agentId, event, ip, type }) => ({ agentId, event, ip, type }))).toEqual([
      { agentId: 'admin', event: 'login', ip: '192.0.2.2', type: 'console' },
      { agentId: 'admin', event: 'failed', ip: '192.0.2.1', type: 'console' },
    ]);
  });

  it('A5 a normal agent logs in with its own permissions', async () => {
    const f = await authFixture();
    await f.accounts.createAgent(f.company.id, { id: 'bob', name: 'Bob', passwordHash: await hashPassword(PASSWORD), permissions: ['accept_chats'] });
    const res = await f.login({ companyId: f.company.id, agentId: 'bob', password: PASSWORD });
    expect(res.status).toBe(200);
    expect((res.body as { agent: unknown }).agent).toEqual({ id: 'bob', name: 'Bob', role: 'agent', permissions: ['accept_chats'] });
  });
});
