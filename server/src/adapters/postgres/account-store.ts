// AccountStore on Postgres. Company-scoped calls run in withCompany(); the
// lookups that happen before a company is known (public key from the widget,
// session token from a cookie, company count at first boot) use the
// SECURITY DEFINER sys_* functions, which return only the row asked for.
import { createHash } from 'node:crypto';
import {
  PERMISSIONS,
  type AccountStore, type Agent, type AgentWithSecret, type Company, type LoginEvent, type LoginType,
  type Permission, type Role, type RoutingAgent, type Session,
} from '../../ports/account-store.js';
import { ConflictError, NotFoundError } from '../../ports/errors.js';
import { generateCompanyId, generatePublicKey, randomToken } from '../../domain/company-ids.js';
import { FOREIGN_KEY_VIOLATION, pgCode, UNIQUE_VIOLATION, withCompany, type Sql } from './with-company.js';

interface CompanyRow { id: string; name: string; public_key: string; time_zone: string; created_at: Date }
interface AgentRow {
  company_id: string; id: string; name: string; role: Role; permissions: string[]; disabled: boolean;
  max_chats: number; password_hash: string; totp_secret: string | null;
}
interface SessionRow { company_id: string; agent_id: string; csrf_token: string; expires_at: Date }

/** Same default as the memory store: a new agent may take chats. */
const DEFAULT_AGENT_PERMISSIONS: Permission[] = ['accept_chats', 'view_agents', 'transfer', 'canned_responses', 'customers_view'];
const COMPANY_ID_ATTEMPTS = 8;

export class PgAccountStore implements AccountStore {
  constructor(private readonly sql: Sql) {}

  async createCompany(input: { name: string; timeZone?: string; admin: { id: string; name: string; passwordHash: string } }) {
    // Ids are random 8-digit numbers: retry on the rare collision (the unique
    // violation is the only signal, since RLS hides the other company's row).
    for (let attempt = 1; ; attempt++) {
      const id = generateCompanyId();
      try {
        return await withCompany(this.sql, id, async (tx) => {
          const [c] = await tx<CompanyRow[]>`
            insert into companies (id, name, public_key, time_zone)
            values (${id}, ${input.name}, ${generatePublicKey()}, ${input.timeZone ?? 'Asia/Shanghai'})
            returning *`;
          const [a] = await tx<AgentRow[]>`
            insert into agents (company_id, id, name, password_hash, role, permissions)
            values (${id}, ${input.admin.id}, ${input.admin.name}, ${input.admin.passwordHash}, 'admin', ${[...PERMISSIONS]})
            returning *`;
          return { company: toCompany(c!), admin: toAgent(a!) };
        });
      } catch (err) {
        if (pgCode(err) === UNIQUE_VIOLATION && attempt < COMPANY_ID_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  async companyById(id: string): Promise<Company | null> {
    const [row] = await withCompany(this.sql, id, (tx) => tx<CompanyRow[]>`select * from companies where id = ${id}`);
    return row ? toCompany(row) : null;
  }

  async companyByPublicKey(publicKey: string): Promise<Company | null> {
    const [row] = await this.sql<CompanyRow[]>`select * from sys_company_by_public_key(${publicKey})`;
    return row ? toCompany(row) : null;
  }

  async countCompanies(): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`select sys_count_companies() as n`;
    return Number(row!.n);
  }

  async agentForLogin(companyId: string, agentId: string): Promise<AgentWithSecret | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<AgentRow[]>`
      select * from agents where company_id = ${companyId} and id = ${agentId}`);
    return row ? { ...toAgent(row), passwordHash: row.password_hash, totpSecret: row.totp_secret } : null;
  }

  async agent(companyId: string, agentId: string): Promise<Agent | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<AgentRow[]>`
      select * from agents where company_id = ${companyId} and id = ${agentId}`);
    return row ? toAgent(row) : null;
  }

  async listAgents(companyId: string): Promise<Agent[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<AgentRow[]>`
      select * from agents where company_id = ${companyId} order by created_at, id`);
    return rows.map(toAgent);
  }

  async createAgent(companyId: string, input: { id: string; name: string; passwordHash: string; role?: Role; permissions?: Permission[]; maxChats?: number }): Promise<Agent> {
    const role = input.role ?? 'agent';
    const permissions = role === 'admin' ? [...PERMISSIONS] : [...(input.permissions ?? DEFAULT_AGENT_PERMISSIONS)];
    try {
      const [row] = await withCompany(this.sql, companyId, (tx) => tx<AgentRow[]>`
        insert into agents (company_id, id, name, password_hash, role, permissions, max_chats)
        values (${companyId}, ${input.id}, ${input.name}, ${input.passwordHash}, ${role}, ${permissions}, ${input.maxChats ?? 5})
        returning *`);
      return toAgent(row!);
    } catch (err) {
      if (pgCode(err) === UNIQUE_VIOLATION) throw new ConflictError(`agent ${input.id} already exists`);
      if (pgCode(err) === FOREIGN_KEY_VIOLATION) throw new NotFoundError('company');
      throw err;
    }
  }

  /** The returned id is the bearer token; only its SHA-256 is stored. */
  async createSession(input: { companyId: string; agentId: string; ttlMs: number; ip: string; userAgent: string }): Promise<Session> {
    const token = randomToken();
    const csrfToken = randomToken();
    try {
      const [row] = await withCompany(this.sql, input.companyId, (tx) => tx<SessionRow[]>`
        insert into sessions (id, company_id, agent_id, csrf_token, ip, user_agent, expires_at)
        values (${hashToken(token)}, ${input.companyId}, ${input.agentId}, ${csrfToken}, ${input.ip}, ${input.userAgent},
                now() + make_interval(secs => ${input.ttlMs / 1000}))
        returning company_id, agent_id, csrf_token, expires_at`);
      return toSession(token, row!);
    } catch (err) {
      if (pgCode(err) === FOREIGN_KEY_VIOLATION) throw new NotFoundError('agent');
      throw err;
    }
  }

  async session(id: string): Promise<Session | null> {
    const [row] = await this.sql<SessionRow[]>`select * from sys_session(${hashToken(id)})`;
    return row ? toSession(id, row) : null;
  }

  async deleteSession(id: string): Promise<void> {
    await this.sql`select sys_delete_session(${hashToken(id)})`;
  }

  /** Housekeeping for a periodic job: removes expired sessions of all companies. */
  async deleteExpiredSessions(): Promise<number> {
    const [row] = await this.sql<{ n: string }[]>`select sys_delete_expired_sessions() as n`;
    return Number(row!.n);
  }

  async logLogin(input: { companyId: string; agentId: string; event: LoginEvent; ip: string; type: LoginType; sessionId?: string }): Promise<void> {
    await withCompany(this.sql, input.companyId, (tx) => tx`
      insert into login_log (company_id, agent_id, event, ip, type, session_id)
      values (${input.companyId}, ${input.agentId}, ${input.event}, ${input.ip}, ${input.type},
              ${input.sessionId === undefined ? null : hashToken(input.sessionId)})`);
  }

  /** Newest first. */
  async loginLog(companyId: string, opts: { limit: number; offset: number }) {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<{ agent_id: string; event: LoginEvent; ip: string; type: LoginType; at: Date }[]>`
      select agent_id, event, ip, type, at from login_log
       where company_id = ${companyId}
       order by at desc, id desc
       limit ${Math.max(0, Math.floor(opts.limit))} offset ${Math.max(0, Math.floor(opts.offset))}`);
    return rows.map((r) => ({ agentId: r.agent_id, event: r.event, ip: r.ip, type: r.type, at: r.at.getTime() }));
  }

  async routingAgents(companyId: string): Promise<RoutingAgent[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<(AgentRow & { auto_accept: boolean; auto_reply: RoutingAgent['autoReply']; groups: string[] })[]>`
      select a.*, coalesce(array_agg(m.group_id order by m.group_id) filter (where m.group_id is not null), '{}') as groups
        from agents a left join group_members m on m.company_id = a.company_id and m.agent_id = a.id
       where a.company_id = ${companyId} and not a.disabled
       group by a.company_id, a.id
       order by a.created_at, a.id`);
    return rows.map((r) => {
      const a = toAgent(r);
      return { id: a.id, name: a.name, role: a.role, permissions: a.permissions, disabled: a.disabled, maxChats: a.maxChats,
        autoAccept: r.auto_accept, groups: r.groups, autoReply: r.auto_reply ?? null };
    });
  }

  async companySetting(companyId: string, key: string): Promise<unknown> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ v: unknown }[]>`
      select settings -> ${key} as v from companies where id = ${companyId}`);
    return row?.v ?? null;
  }

  async setCompanySetting(companyId: string, key: string, value: unknown): Promise<void> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      update companies set settings = jsonb_set(settings, ${[key]}, ${JSON.stringify(value)}::text::jsonb, true)
       where id = ${companyId} returning id`);
    if (rows.length === 0) throw new NotFoundError('company');
  }

  /** The pool is closed by createPostgresStores' close(). */
  async close(): Promise<void> {}
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function toCompany(r: CompanyRow): Company {
  return { id: r.id, name: r.name, publicKey: r.public_key, timeZone: r.time_zone, createdAt: r.created_at.getTime() };
}

function toAgent(r: AgentRow): Agent {
  return {
    companyId: r.company_id,
    id: r.id,
    name: r.name,
    role: r.role,
    // The admin has every permission, whatever is stored.
    permissions: r.role === 'admin' ? [...PERMISSIONS] : (r.permissions.filter(isPermission)),
    disabled: r.disabled,
    maxChats: r.max_chats,
  };
}

const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);

function toSession(token: string, r: SessionRow): Session {
  return { id: token, companyId: r.company_id, agentId: r.agent_id, csrfToken: r.csrf_token, expiresAt: r.expires_at.getTime() };
}
