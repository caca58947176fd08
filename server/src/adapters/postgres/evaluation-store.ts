// EvaluationStore on Postgres: evaluation_topics, evaluations, and read-only
// looks at conversations (who served, ended without evaluation).
import type {
  ConversationRef, Evaluation, EvaluationFields, EvaluationStore, EvaluationTopic, Gender, PendingEvaluation,
} from '../../ports/evaluation-store.js';
import { withCompany, type Sql } from './with-company.js';

interface TopicRow { id: string; name: string; sort: number; is_default: boolean }
interface EvalRow {
  conversation_id: string; agent_id: string; name: string; gender: Gender; category: string; phone: string;
  channel: string; topic: string; level: string; remarks: string; updated_at: Date;
}

export class PgEvaluationStore implements EvaluationStore {
  constructor(private readonly sql: Sql) {}

  async topics(companyId: string): Promise<EvaluationTopic[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<TopicRow[]>`
      select * from evaluation_topics where company_id = ${companyId} order by sort, id`);
    return rows.map(toTopic);
  }

  async saveTopics(companyId: string, topics: Array<{ name: string; isDefault: boolean }>): Promise<EvaluationTopic[]> {
    const rows = await withCompany(this.sql, companyId, async (tx) => {
      await tx`delete from evaluation_topics where company_id = ${companyId}`;
      for (const [i, t] of topics.entries()) {
        await tx`insert into evaluation_topics (company_id, name, sort, is_default)
                 values (${companyId}, ${t.name}, ${i}, ${t.isDefault})`;
      }
      return tx<TopicRow[]>`select * from evaluation_topics where company_id = ${companyId} order by sort, id`;
    });
    return rows.map(toTopic);
  }

  async conversation(companyId: string, conversationId: string): Promise<ConversationRef | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ id: string; agent_id: string | null; visitor_id: string }[]>`
      select id, agent_id, visitor_id from conversations where company_id = ${companyId} and id = ${conversationId}`);
    return row ? { id: row.id, agentId: row.agent_id, visitorId: row.visitor_id } : null;
  }

  async get(companyId: string, conversationId: string): Promise<Evaluation | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<EvalRow[]>`
      select * from evaluations where company_id = ${companyId} and conversation_id = ${conversationId}`);
    return row ? toEvaluation(row) : null;
  }

  async save(companyId: string, conversationId: string, agentId: string, f: EvaluationFields): Promise<Evaluation> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<EvalRow[]>`
      insert into evaluations (company_id, conversation_id, agent_id, name, gender, category, phone, channel, topic, level, remarks)
      values (${companyId}, ${conversationId}, ${agentId}, ${f.name}, ${f.gender}, ${f.category}, ${f.phone},
              ${f.channel}, ${f.topic}, ${f.level}, ${f.remarks})
      on conflict (company_id, conversation_id) do update set
        agent_id = excluded.agent_id, name = excluded.name, gender = excluded.gender, category = excluded.category,
        phone = excluded.phone, channel = excluded.channel, topic = excluded.topic, level = excluded.level,
        remarks = excluded.remarks, updated_at = now()
      returning *`);
    return toEvaluation(row!);
  }

  async pending(companyId: string, agentId: string, limit: number): Promise<{ items: PendingEvaluation[]; total: number }> {
    return withCompany(this.sql, companyId, async (tx) => {
      const rows = await tx<{ id: string; visitor_id: string; visitor_name: string; created_at: Date; ended_at: Date; total: string }[]>`
        select c.id, c.visitor_id, c.visitor_name, c.created_at, c.ended_at, count(*) over () as total
          from conversations c
         where c.company_id = ${companyId} and c.agent_id = ${agentId} and c.state = 'ended'
           and not exists (select 1 from evaluations e where e.company_id = c.company_id and e.conversation_id = c.id)
         order by c.ended_at desc nulls last, c.id desc
         limit ${limit}`;
      const total = rows.length ? Number(rows[0]!.total) : 0;
      const items = rows.map((r) => ({
        conversationId: r.id, visitorId: r.visitor_id, visitorName: r.visitor_name,
        createdAt: r.created_at.getTime(), endedAt: (r.ended_at ?? r.created_at).getTime(),
      }));
      return { items, total };
    });
  }
}

const toTopic = (r: TopicRow): EvaluationTopic => ({ id: String(r.id), name: r.name, sort: r.sort, isDefault: r.is_default });

function toEvaluation(r: EvalRow): Evaluation {
  return {
    conversationId: r.conversation_id, agentId: r.agent_id, name: r.name, gender: r.gender, category: r.category,
    phone: r.phone, channel: r.channel, topic: r.topic, level: r.level, remarks: r.remarks, updatedAt: r.updated_at.getTime(),
  };
}
