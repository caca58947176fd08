// Tenants for a load run, made through the server's own AccountStore (so the rows
// are exactly what signup makes) on the app role. Agents get sessions directly:
// logging 200 agents in through /auth/login would spend minutes in argon2 and
// trip the login rate limit, neither of which is what we measure.
import postgres from 'postgres';
import { appRoleUrl } from '../../server/src/adapters/postgres/migrate.js';
import { PgAccountStore } from '../../server/src/adapters/postgres/account-store.js';

export interface LoadAgent { id: string; cookie: string }
export interface LoadCompany { companyId: string; publicKey: string; agents: LoadAgent[] }

/** A placeholder hash: these agents never log in with a password. */
const NO_PASSWORD = '$argon2id$v=19$m=19456,t=2,p=1$bG9hZHRlc3Q$bG9hZHRlc3Rsb2FkdGVzdGxvYWR0ZXN0bG9hZA';

export async function createLoadCompanies(ownerUrl: string, opts: {
  companies: number; agentsPerCompany: number; maxChats: number; tag: string;
  /** switch the router's auto-assignment on, agents taking what it gives them (auto-accept) */
  autoAssign?: boolean;
}): Promise<LoadCompany[]> {
  const sql = postgres(appRoleUrl(ownerUrl), { max: 4, onnotice: () => {} });
  try {
    const store = new PgAccountStore(sql);
    const out: LoadCompany[] = [];
    for (let c = 0; c < opts.companies; c++) {
      const { company } = await store.createCompany({ name: `Load ${opts.tag} ${c}`, admin: { id: 'admin', name: 'Load Admin', passwordHash: NO_PASSWORD } });
      const ids = Array.from({ length: opts.agentsPerCompany }, (_, i) => `agent${String(i).padStart(4, '0')}`);
      const agents = await Promise.all(ids.map(async (id) => {
        await store.createAgent(company.id, { id, name: `Agent ${id}`, passwordHash: NO_PASSWORD, maxChats: opts.maxChats });
        const s = await store.createSession({ companyId: company.id, agentId: id, ttlMs: 6 * 3_600_000, ip: '127.0.0.1', userAgent: 'load-tests' });
        return { id, cookie: `sb_session=${s.id}` };
      }));
      if (opts.autoAssign) {
        await store.setCompanySetting(company.id, 'routing', { autoAssign: true });
        const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
        try { await owner`update agents set auto_accept = true where company_id = ${company.id}`; } finally { await owner.end({ timeout: 5 }); }
      }
      out.push({ companyId: company.id, publicKey: company.publicKey, agents });
    }
    return out;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
