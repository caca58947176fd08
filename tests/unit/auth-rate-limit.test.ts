import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/domain/passwords.js';
import { authFixture, errorCode, PASSWORD } from './auth-helpers.js';

const MIN = 60_000;

describe('A1 login rate limits', () => {
  it('A1 5 failures for one account give 429 with Retry-After, even with the right password, until the window passes', async () => {
    const f = await authFixture();
    for (let i = 0; i < 5; i++) {
      // different IPs, so only the per-account limit applies
      const res = await f.login({ companyId: f.company.id, agentId: 'admin', password: 'wrong password' }, `10.0.0.${i}`);
      expect(res.status).toBe(401);
    }
    const limited = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, '10.0.1.1');
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe('rate_limited');
    expect(limited.headers?.['retry-after']).toBe(String(15 * 60));
    expect(limited.cookies).toBeUndefined();

    // other accounts are unaffected
    await f.accounts.createAgent(f.company.id, { id: 'bob', name: 'Bob', passwordHash: await hashPassword(PASSWORD) });
    expect((await f.login({ companyId: f.company.id, agentId: 'bob', password: PASSWORD }, '10.0.1.2')).status).toBe(200);

    f.clock.advance(10 * MIN);
    expect(Number((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD })).headers?.['retry-after'])).toBe(5 * 60);
    f.clock.advance(5 * MIN);
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD })).status).toBe(200);
  });

  it('A1 10 failures from one IP give 429 for any account from that IP, not from others', async () => {
    const f = await authFixture();
    const ip = '198.51.100.20';
    for (let i = 0; i < 10; i++) {
      const res = await f.login({ companyId: f.company.id, agentId: `guess${i}`, password: 'wrong password' }, ip);
      expect(res.status).toBe(401);
    }
    const limited = await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, '198.51.100.21')).status).toBe(200);
    f.clock.advance(15 * MIN);
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, ip)).status).toBe(200);
  });

  it('A1 a limited attempt does no password work and logs no row', async () => {
    const f = await authFixture();
    for (let i = 0; i < 5; i++) await f.login({ companyId: f.company.id, agentId: 'admin', password: 'wrong password' }, `10.0.0.${i}`);
    let looked = 0;
    const original = f.accounts.agentForLogin.bind(f.accounts);
    f.accounts.agentForLogin = async (c, a) => { looked++; return original(c, a); };
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD })).status).toBe(429);
    expect(looked).toBe(0);
    expect((await f.accounts.loginLog(f.company.id, { limit: 50, offset: 0 })).filter((r) => r.event === 'failed')).toHaveLength(5);
  });

  it('A1 a burst of parallel guesses cannot exceed the account limit', async () => {
    const f = await authFixture();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.login({ companyId: f.company.id, agentId: 'admin', password: `guess ${i} password` }, `10.5.0.${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('A1 successful logins from one office IP do not use up its failure budget', async () => {
    const f = await authFixture();
    for (let i = 0; i < 15; i++) {
      expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD }, '192.0.2.50')).status).toBe(200);
    }
  });

  it('A1 a store outage during login does not count as a failure', async () => {
    const f = await authFixture();
    const original = f.accounts.agentForLogin.bind(f.accounts);
    f.accounts.agentForLogin = async () => { throw new Error('database down'); };
    for (let i = 0; i < 6; i++) {
      await expect(f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD })).rejects.toThrow('database down');
    }
    f.accounts.agentForLogin = original;
    expect((await f.login({ companyId: f.company.id, agentId: 'admin', password: PASSWORD })).status).toBe(200);
  });

  it('A1 a successful login clears the account counter', async () => {
    const f = await authFixture();
    const wrong = { companyId: f.company.id, agentId: 'admin', password: 'wrong password' };
    for (let i = 0; i < 4; i++) await f.login(wrong, `10.0.0.${i}`);
    expect((await f.login({ ...wrong, password: PASSWORD }, '10.0.2.1')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await f.login(wrong, `10.0.3.${i}`)).status).toBe(401);
    expect((await f.login({ ...wrong, password: PASSWORD }, '10.0.2.1')).status).toBe(200);
  });
});
