// AgentChatStore on Postgres: agent_messages, in withCompany(). The pair index
// (least, greatest) serves a thread in either direction.
import type { AgentChatContact, AgentChatFile, AgentChatMessage, AgentChatStore } from '../../ports/agent-chat-store.js';
import { NotFoundError } from '../../ports/errors.js';
import { FOREIGN_KEY_VIOLATION, pgCode, withCompany, type Sql } from './with-company.js';

interface Row { id: string; from_agent: string; to_agent: string; text: string; file: AgentChatFile | null; created_at: Date; read_at: Date | null }

export class PgAgentChatStore implements AgentChatStore {
  constructor(private readonly sql: Sql) {}

  async contacts(companyId: string, me: string): Promise<AgentChatContact[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<{ id: string; name: string; disabled: boolean; unread: string; last_at: Date | null }[]>`
      select a.id, a.name, a.disabled,
             (select count(*) from agent_messages m
               where m.company_id = a.company_id and m.from_agent = a.id and m.to_agent = ${me} and m.read_at is null) as unread,
             (select max(m.created_at) from agent_messages m
               where m.company_id = a.company_id and least(m.from_agent, m.to_agent) = least(a.id, ${me}::text)
                 and greatest(m.from_agent, m.to_agent) = greatest(a.id, ${me}::text)) as last_at
        from agents a
       where a.company_id = ${companyId} and a.id <> ${me}
       order by a.disabled, a.name, a.id`);
    return rows.map((r) => ({ id: r.id, name: r.name, disabled: r.disabled, unread: Number(r.unread), lastAt: r.last_at?.getTime() ?? null }));
  }

  async send(companyId: string, input: { from: string; to: string; text: string; file: AgentChatFile | null }): Promise<AgentChatMessage> {
    try {
      const [row] = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
        insert into agent_messages (company_id, from_agent, to_agent, text, file)
        values (${companyId}, ${input.from}, ${input.to}, ${input.text}, ${input.file ? tx.json(input.file as never) : null})
        returning *`);
      return toMessage(row!);
    } catch (err) {
      if (pgCode(err) === FOREIGN_KEY_VIOLATION) throw new NotFoundError('agent');
      throw err;
    }
  }

  async thread(companyId: string, me: string, other: string, opts: { limit: number; beforeId?: number }): Promise<AgentChatMessage[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
      select * from agent_messages
       where company_id = ${companyId}
         and least(from_agent, to_agent) = least(${me}::text, ${other}::text)
         and greatest(from_agent, to_agent) = greatest(${me}::text, ${other}::text)
         ${opts.beforeId ? tx`and id < ${opts.beforeId}` : tx``}
       order by id desc limit ${opts.limit}`);
    return rows.reverse().map(toMessage);
  }

  async markRead(companyId: string, me: string, other: string): Promise<number> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      update agent_messages set read_at = now()
       where company_id = ${companyId} and to_agent = ${me} and from_agent = ${other} and read_at is null
      returning id`);
    return rows.length;
  }

  async unreadTotal(companyId: string, me: string): Promise<number> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ n: string }[]>`
      select count(*) as n from agent_messages where company_id = ${companyId} and to_agent = ${me} and read_at is null`);
    return Number(row!.n);
  }
}

function toMessage(r: Row): AgentChatMessage {
  return {
    id: Number(r.id), fromAgentId: r.from_agent, toAgentId: r.to_agent, text: r.text, file: r.file,
    at: r.created_at.getTime(), readAt: r.read_at?.getTime() ?? null,
  };
}
