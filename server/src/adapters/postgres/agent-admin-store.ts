// AgentAdminStore on Postgres: the agents row an admin edits (A5). Disabling
// deletes the agent's sessions in the same transaction, so a later re-enable
// does not bring old cookies back.
import { PERMISSIONS, type Permission } from '../../ports/account-store.js';
import type { AgentAdminStore, AgentPatch, ManagedAgent } from '../../ports/agent-admin-store.js';
import { ConflictError } from '../../ports/errors.js';
import { UNIQUE_VIOLATION, pgCode, withCompany, type Sql } from './with-company.js';

interface Row { id: string; name: string; role: 'admin' | 'agent'; permissions: string[]; disabled: boolean; max_chats: number; auto_accept: boolean; created_at: Date }

const COLUMNS = 'id, name, role, permissions, disabled, max_chats, auto_accept, created_at';

export class PgAgentAdminStore implements AgentAdminStore {
  constructor(private readonly sql: Sql) {}

  async list(companyId: string): Promise<ManagedAgent[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
      select ${tx.unsafe(COLUMNS)} from agents where company_id = ${companyId} order by role, created_at, id`);
    return rows.map(toManaged);
  }

  async get(companyId: string, agentId: string): Promise<ManagedAgent | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
      select ${tx.unsafe(COLUMNS)} from agents where company_id = ${companyId} and id = ${agentId}`);
    return row ? toManaged(row) : null;
  }

  async create(companyId: string, input: { id: string; name: string; passwordHash: string; permissions: Permission[]; maxChats: number; autoAccept: boolean }): Promise<ManagedAgent> {
    try {
      const [row] = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
        insert into agents (company_id, id, name, password_hash, role, permissions, max_chats, auto_accept)
        values (${companyId}, ${input.id}, ${input.name}, ${input.passwordHash}, 'agent', ${input.permissions}, ${input.maxChats}, ${input.autoAccept})
        returning ${tx.unsafe(COLUMNS)}`);
      return toManaged(row!);
    } catch (err) {
      if (pgCode(err) === UNIQUE_VIOLATION) throw new ConflictError('an agent with this id exists');
      throw err;
    }
  }

  async update(companyId: string, agentId: string, patch: AgentPatch): Promise<ManagedAgent | null> {
    return withCompany(this.sql, companyId, async (tx) => {
      const [row] = await tx<Row[]>`
        update agents set
          name = coalesce(${patch.name ?? null}, name),
          permissions = coalesce(${patch.permissions ?? null}::text[], permissions),
          max_chats = coalesce(${patch.maxChats ?? null}::integer, max_chats),
          auto_accept = coalesce(${patch.autoAccept ?? null}::boolean, auto_accept),
          disabled = coalesce(${patch.disabled ?? null}::boolean, disabled),
          password_hash = coalesce(${patch.passwordHash ?? null}, password_hash)
         where company_id = ${companyId} and id = ${agentId}
        returning ${tx.unsafe(COLUMNS)}`;
      if (row?.disabled) await tx`delete from sessions where company_id = ${companyId} and agent_id = ${agentId}`;
      return row ? toManaged(row) : null;
    });
  }

  async remove(companyId: string, agentId: string): Promise<boolean> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      delete from agents where company_id = ${companyId} and id = ${agentId} returning id`);
    return rows.length > 0;
  }
}

const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);

function toManaged(r: Row): ManagedAgent {
  return {
    id: r.id, name: r.name, role: r.role,
    // The admin has every permission, whatever is stored.
    permissions: r.role === 'admin' ? [...PERMISSIONS] : r.permissions.filter(isPermission),
    disabled: r.disabled, maxChats: r.max_chats, autoAccept: r.auto_accept, createdAt: r.created_at.getTime(),
  };
}
