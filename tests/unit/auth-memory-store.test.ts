import { describe, expect, it } from 'vitest';
import { MemoryAccountStore } from '../../server/src/adapters/memory/account-store.js';
import { ConflictError, NotFoundError } from '../../server/src/ports/errors.js';
import { FakeClock } from './auth-helpers.js';

const admin = (id = 'admin') => ({ id, name: 'Admin', passwordHash: 'h' });

describe('memory AccountStore contract', () => {
  it('A1 agent IDs are unique per company, not across companies', async () => {
    const s = new MemoryAccountStore();
    const a = await s.createCompany({ name: 'A', admin: admin() });
    const b = await s.createCompany({ name: 'B', admin: admin() });
    expect(a.company.id).not.toBe(b.company.id);
    expect(a.admin).toMatchObject({ companyId: a.company.id, id: 'admin', role: 'admin' });
    await s.createAgent(a.company.id, { id: 'x', name: 'X', passwordHash: 'h' });
    await expect(s.createAgent(a.company.id, { id: 'x', name: 'X2', passwordHash: 'h' })).rejects.toBeInstanceOf(ConflictError);
    await expect(s.createAgent('nope', { id: 'x', name: 'X', passwordHash: 'h' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await s.agent(b.company.id, 'x')).toBeNull();
    expect((await s.listAgents(a.company.id)).map((g) => g.id).sort()).toEqual(['admin', 'x']);
    expect((await s.listAgents(b.company.id)).map((g) => g.id)).toEqual(['admin']);
    expect(await s.countCompanies()).toBe(2);
  });

  it('finds companies by id and public key, and hides secrets from agent()', async () => {
    const s = new MemoryAccountStore();
    const { company } = await s.createCompany({ name: 'A', admin: admin() });
    expect(await s.companyById(company.id)).toEqual(company);
    expect(await s.companyByPublicKey(company.publicKey)).toEqual(company);
    expect(await s.companyByPublicKey('pk_nope')).toBeNull();
    expect(await s.agent(company.id, 'admin')).not.toHaveProperty('passwordHash');
    expect(await s.agentForLogin(company.id, 'admin')).toMatchObject({ passwordHash: 'h', totpSecret: null });
  });

  it('returns copies, so callers cannot change stored state', async () => {
    const s = new MemoryAccountStore();
    const { company } = await s.createCompany({ name: 'A', admin: admin() });
    const a = await s.agent(company.id, 'admin');
    a!.permissions.length = 0;
    a!.name = 'changed';
    expect(await s.agent(company.id, 'admin')).toMatchObject({ name: 'Admin' });
    expect((await s.agent(company.id, 'admin'))!.permissions.length).toBeGreaterThan(0);
  });

  it('A1 sessions are unguessable, expire, and can be deleted', async () => {
    const clock = new FakeClock(1000);
    const s = new MemoryAccountStore({ now: clock.now });
    const { company } = await s.createCompany({ name: 'A', admin: admin() });
    const one = await s.createSession({ companyId: company.id, agentId: 'admin', ttlMs: 100, ip: '1.1.1.1', userAgent: 'ua' });
    const two = await s.createSession({ companyId: company.id, agentId: 'admin', ttlMs: 1000, ip: '1.1.1.1', userAgent: 'ua' });
    expect(one.id).not.toBe(two.id);
    expect(one.csrfToken).not.toBe(one.id);
    expect(one.expiresAt).toBe(1100);
    clock.advance(100);
    expect(await s.session(one.id)).toBeNull();
    expect(await s.session(two.id)).toEqual(two);
    await s.deleteSession(two.id);
    expect(await s.session(two.id)).toBeNull();
    await expect(s.createSession({ companyId: company.id, agentId: 'ghost', ttlMs: 1, ip: '', userAgent: '' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('A4 the login log is per company, newest first, paged', async () => {
    const clock = new FakeClock(0);
    const s = new MemoryAccountStore({ now: clock.now });
    const a = await s.createCompany({ name: 'A', admin: admin() });
    const b = await s.createCompany({ name: 'B', admin: admin() });
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await s.logLogin({ companyId: a.company.id, agentId: 'admin', event: i % 2 ? 'logout' : 'login', ip: `10.0.0.${i}`, type: 'console' });
    }
    await s.logLogin({ companyId: b.company.id, agentId: 'admin', event: 'failed', ip: '9.9.9.9', type: 'api' });
    const page = await s.loginLog(a.company.id, { limit: 2, offset: 1 });
    expect(page).toEqual([
      { agentId: 'admin', event: 'logout', ip: '10.0.0.3', type: 'console', at: 4000 },
      { agentId: 'admin', event: 'login', ip: '10.0.0.2', type: 'console', at: 3000 },
    ]);
    expect(await s.loginLog(b.company.id, { limit: 10, offset: 0 })).toHaveLength(1);
  });
});
