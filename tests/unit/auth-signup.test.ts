import { describe, expect, it } from 'vitest';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { verifyPassword } from '../../server/src/domain/passwords.js';
import { AppError } from '../../server/src/ports/errors.js';
import { authFixture, errorCode, PASSWORD } from './auth-helpers.js';

const good = { companyName: 'Beta Shop', adminName: 'Bea', password: 'a good long password' };

describe('A1 signup', () => {
  it('A1 signup creates a company with a generated ID whose first agent is the admin, who can log in', async () => {
    const f = await authFixture();
    const res = await f.call('POST', '/api/v1/signup', { body: good });
    expect(res.status).toBe(201);
    const { companyId, agentId } = res.body as { companyId: string; agentId: string };
    expect(companyId).toMatch(/^[1-9]\d{7}$/);
    expect(companyId).not.toBe(f.company.id);
    expect(agentId).toBe('admin');
    const admin = await f.accounts.agentForLogin(companyId, 'admin');
    expect(admin).toMatchObject({ role: 'admin', name: 'Bea', disabled: false });
    expect(admin!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await f.login({ companyId, agentId, password: good.password })).status).toBe(200);
  });

  it('A1 signup takes a chosen admin agent ID', async () => {
    const f = await authFixture();
    const res = await f.call('POST', '/api/v1/signup', { body: { ...good, agentId: 'boss' } });
    expect(res.body).toMatchObject({ agentId: 'boss' });
  });

  it('A1 signup disabled by the operator answers 404 and GET reports it', async () => {
    const f = await authFixture({ signupEnabled: false });
    const res = await f.call('POST', '/api/v1/signup', { body: good });
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('not_found');
    expect(await f.accounts.countCompanies()).toBe(1);
    expect((await f.call('GET', '/api/v1/signup')).body).toEqual({ enabled: false });
    expect((await (await authFixture()).call('GET', '/api/v1/signup')).body).toEqual({ enabled: true });
  });

  it('A1 bad signup bodies get 400 JSON with code bad_request', async () => {
    const f = await authFixture();
    const bodies: unknown[] = [
      undefined, [], 'x',
      { ...good, companyName: '' },
      { ...good, companyName: '   ' },
      { ...good, companyName: 'x'.repeat(101) },
      { ...good, adminName: 42 },
      { ...good, adminName: 'bad\u0007name' },
      { ...good, password: 'short' },
      { ...good, password: 'p'.repeat(129) },
      { ...good, agentId: 'has space' },
      { ...good, agentId: '' },
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await f.call('POST', '/api/v1/signup', { body, ip: `10.9.0.${i}` });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(res)).toBe('bad_request');
    }
    expect(await f.accounts.countCompanies()).toBe(1);
  });

  it('A1 signup is limited to 5 attempts per IP per hour', async () => {
    const f = await authFixture();
    for (let i = 0; i < 5; i++) expect((await f.call('POST', '/api/v1/signup', { body: { ...good, password: 'x' } })).status).toBe(400);
    const limited = await f.call('POST', '/api/v1/signup', { body: good });
    expect(limited.status).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('3600');
    expect((await f.call('POST', '/api/v1/signup', { body: good, ip: '10.8.0.1' })).status).toBe(201);
    f.clock.advance(3600_000);
    expect((await f.call('POST', '/api/v1/signup', { body: good })).status).toBe(201);
  });

  it('A1 createCompanyWithAdmin trims names, hashes the password and rejects bad input', async () => {
    const f = await authFixture();
    const { company, admin } = await createCompanyWithAdmin(f.accounts, { name: '  Gamma  ', adminName: ' Gus ', agentId: 'gus', password: PASSWORD });
    expect(company.name).toBe('Gamma');
    expect(admin).toMatchObject({ id: 'gus', name: 'Gus', role: 'admin' });
    const stored = await f.accounts.agentForLogin(company.id, 'gus');
    expect(await verifyPassword(stored!.passwordHash, PASSWORD)).toBe(true);
    await expect(createCompanyWithAdmin(f.accounts, { name: 'Delta', adminName: 'D', password: 'short' })).rejects.toBeInstanceOf(AppError);
  });
});
