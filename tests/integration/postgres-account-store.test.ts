// AccountStore contract on real Postgres: A1 companies and agents, A4 login
// log, sessions (hashed at rest, expiring), tenancy between companies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresStores, type PostgresStores } from '../../server/src/adapters/postgres/stores.js';
import { PERMISSIONS } from '../../server/src/ports/account-store.js';
import { ConflictError, NotFoundError } from '../../server/src/ports/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let stores: PostgresStores;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createPostgresStores({ url: db.appUrl, logger });
});

afterAll(async () => {
  await stores?.close();
  await db?.drop();
});

const newCompany = (name = 'Acme') =>
  stores.accounts.createCompany({ name, admin: { id: 'admin', name: '管理员', passwordHash: '$argon2id$fake' } });

describe('A1 companies and agents', () => {
  it('creates a company with an 8-digit id, a public key and an admin holding every permission', async () => {
    const before = await stores.accounts.countCompanies();
    const { company, admin } = await newCompany('示例公司');
    expect(company.id).toMatch(/^[1-9][0-9]{7}$/);
    expect(company.publicKey.length).toBeGreaterThanOrEqual(22);
    expect(company).toMatchObject({ name: '示例公司', timeZone: 'Asia/Shanghai' });
    expect(admin).toEqual({ companyId: company.id, id: 'admin', name: '管理员', role: 'admin', permissions: [...PERMISSIONS], disabled: false, maxChats: 5 });
    expect(await stores.accounts.companyById(company.id)).toEqual(company);
    expect(await stores.accounts.companyByPublicKey(company.publicKey)).toEqual(company);
    expect(await stores.accounts.companyByPublicKey('pk_doesnotexist0000000000')).toBeNull();
    expect(await stores.accounts.companyById('12345678')).toBeNull();
    expect(await stores.accounts.countCompanies()).toBe(before + 1);
  });

  it('creates agents with default permissions; ids are unique per company only', async () => {
    const a = (await newCompany()).company.id;
    const b = (await newCompany()).company.id;
    const agent = await stores.accounts.createAgent(a, { id: 'alice', name: 'Alice', passwordHash: 'h' });
    expect(agent).toMatchObject({ role: 'agent', disabled: false, maxChats: 5 });
    expect(agent.permissions).toContain('accept_chats');
    expect(agent.permissions).not.toContain('manage_agents');
    await expect(stores.accounts.createAgent(a, { id: 'alice', name: 'Again', passwordHash: 'h' })).rejects.toBeInstanceOf(ConflictError);
    await stores.accounts.createAgent(b, { id: 'alice', name: 'Other Alice', passwordHash: 'h', maxChats: 9, permissions: ['monitor'] });
    expect(await stores.accounts.agent(b, 'alice')).toMatchObject({ name: 'Other Alice', maxChats: 9, permissions: ['monitor'] });
    expect((await stores.accounts.listAgents(a)).map((x) => x.id)).toEqual(['admin', 'alice']);
    await expect(stores.accounts.createAgent('87654321', { id: 'x', name: 'x', passwordHash: 'h' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('agentForLogin returns the secret fields; other companies see nothing', async () => {
    const a = (await newCompany()).company.id;
    const b = (await newCompany()).company.id;
    expect(await stores.accounts.agentForLogin(a, 'admin')).toMatchObject({ passwordHash: '$argon2id$fake', totpSecret: null, role: 'admin' });
    expect(await stores.accounts.agentForLogin(a, 'nobody')).toBeNull();
    await stores.accounts.createAgent(a, { id: 'only-in-a', name: 'x', passwordHash: 'h' });
    expect(await stores.accounts.agent(b, 'only-in-a')).toBeNull();
    expect(await stores.accounts.agentForLogin(b, 'only-in-a')).toBeNull();
    expect((await stores.accounts.listAgents(b)).map((x) => x.id)).toEqual(['admin']);
  });
});

describe('sessions', () => {
  it('creates a 256-bit session with a CSRF token, stores only its hash, deletes it', async () => {
    const { company } = await newCompany();
    const s = await stores.accounts.createSession({ companyId: company.id, agentId: 'admin', ttlMs: 60_000, ip: '10.0.0.1', userAgent: 'vitest' });
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).not.toBe(s.id);
    expect(s.expiresAt).toBeGreaterThan(Date.now() + 50_000);
    expect(await stores.accounts.session(s.id)).toEqual(s);

    const owner = postgres(db.ownerUrl, { max: 1 });
    try {
      expect(await owner`select 1 from sessions where id = ${s.id}`).toHaveLength(0);
      expect(await owner`select 1 from sessions where company_id = ${company.id}`).toHaveLength(1);
    } finally {
      await owner.end();
    }
    await stores.accounts.deleteSession(s.id);
    expect(await stores.accounts.session(s.id)).toBeNull();
  });

  it('an expired session reads as null and is swept by deleteExpiredSessions', async () => {
    const { company } = await newCompany();
    const s = await stores.accounts.createSession({ companyId: company.id, agentId: 'admin', ttlMs: 50, ip: '', userAgent: '' });
    await new Promise((r) => setTimeout(r, 120));
    expect(await stores.accounts.session(s.id)).toBeNull();
    expect(await stores.accounts.deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
  });

  it('unknown tokens and sessions for unknown agents are refused', async () => {
    const { company } = await newCompany();
    expect(await stores.accounts.session('not-a-real-token')).toBeNull();
    await expect(stores.accounts.createSession({ companyId: company.id, agentId: 'ghost', ttlMs: 1000, ip: '', userAgent: '' }))
      .rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('A4 login log', () => {
  it('records login, failed and logout events newest first, paged, per company', async () => {
    const a = (await newCompany()).company.id;
    const b = (await newCompany()).company.id;
    await stores.accounts.logLogin({ companyId: a, agentId: 'admin', event: 'failed', ip: '1.1.1.1', type: 'console' });
    await stores.accounts.logLogin({ companyId: a, agentId: 'admin', event: 'login', ip: '1.1.1.1', type: 'console', sessionId: 'tok' });
    await stores.accounts.logLogin({ companyId: a, agentId: 'admin', event: 'logout', ip: '1.1.1.1', type: 'api', sessionId: 'tok' });
    await stores.accounts.logLogin({ companyId: b, agentId: 'admin', event: 'login', ip: '2.2.2.2', type: 'console' });

    const all = await stores.accounts.loginLog(a, { limit: 10, offset: 0 });
    expect(all.map((r) => r.event)).toEqual(['logout', 'login', 'failed']);
    expect(all[0]).toMatchObject({ agentId: 'admin', ip: '1.1.1.1', type: 'api' });
    expect(all[0]!.at).toBeGreaterThan(Date.now() - 60_000);
    expect((await stores.accounts.loginLog(a, { limit: 1, offset: 1 })).map((r) => r.event)).toEqual(['login']);
    expect((await stores.accounts.loginLog(b, { limit: 10, offset: 0 })).map((r) => r.ip)).toEqual(['2.2.2.2']);
  });
});
