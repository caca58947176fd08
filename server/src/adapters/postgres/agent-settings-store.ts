// AgentSettingsStore on Postgres: one jsonb document per agent; defaults are
// merged on read so settings added later need no migration.
import { DEFAULT_AGENT_SETTINGS, type AgentSettings, type AgentSettingsStore } from '../../ports/agent-settings-store.js';
import { withCompany, type Sql } from './with-company.js';

export class PgAgentSettingsStore implements AgentSettingsStore {
  constructor(private readonly sql: Sql) {}

  async get(companyId: string, agentId: string): Promise<AgentSettings> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ settings: Partial<AgentSettings> }[]>`
      select settings from agent_settings where company_id = ${companyId} and agent_id = ${agentId}`);
    return { ...DEFAULT_AGENT_SETTINGS, ...(row?.settings ?? {}) };
  }

  async save(companyId: string, agentId: string, settings: AgentSettings): Promise<AgentSettings> {
    await withCompany(this.sql, companyId, (tx) => tx`
      insert into agent_settings (company_id, agent_id, settings) values (${companyId}, ${agentId}, ${tx.json(settings as never)})
      on conflict (company_id, agent_id) do update set settings = excluded.settings, updated_at = now()`);
    return settings;
  }
}
