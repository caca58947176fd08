// Postgres side of ChatExtrasStore: conversation_ratings, visitor_profiles and
// messages.attachment (migration 1764000009500_chat-extras.sql). Own small
// app-role pool, like the console tools, so wiring touches no shared store.
import postgres from 'postgres';
import type { Rating, VisitorProfile } from '../../../../protocol/index.js';
import type { ChatExtrasStore } from '../../ports/chat-extras-store.js';
import { withCompany, type Sql } from './with-company.js';

interface RatingRow { score: number; comment: string; rated_at: Date }
interface ProfileRow { member: VisitorProfile['member']; fields: Record<string, string> }

const toRating = (r: RatingRow): Rating => ({ score: r.score, comment: r.comment, at: r.rated_at.getTime() });
const toProfile = (r: ProfileRow | undefined): VisitorProfile => ({ member: r?.member ?? null, fields: r?.fields ?? {} });

export class PgChatExtrasStore implements ChatExtrasStore {
  constructor(private readonly sql: Sql) {}

  async saveRating(companyId: string, conversationId: string, r: { score: number; comment: string; agentId: string | null }): Promise<Rating> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<RatingRow[]>`
      insert into conversation_ratings (company_id, conversation_id, score, comment, agent_id)
      values (${companyId}, ${conversationId}, ${r.score}, ${r.comment}, ${r.agentId})
      on conflict (company_id, conversation_id) do update
        set score = excluded.score, comment = excluded.comment, agent_id = excluded.agent_id, rated_at = now()
      returning score, comment, rated_at`);
    return toRating(row!);
  }

  async rating(companyId: string, conversationId: string): Promise<Rating | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<RatingRow[]>`
      select score, comment, rated_at from conversation_ratings where conversation_id = ${conversationId}`);
    return row ? toRating(row) : null;
  }

  async profile(companyId: string, visitorId: string): Promise<VisitorProfile> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<ProfileRow[]>`
      select member, fields from visitor_profiles where visitor_id = ${visitorId}`);
    return toProfile(row);
  }

  async setMember(companyId: string, visitorId: string, member: VisitorProfile['member']): Promise<VisitorProfile> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<ProfileRow[]>`
      insert into visitor_profiles (company_id, visitor_id, member) values (${companyId}, ${visitorId}, ${member === null ? null : tx.json(member)})
      on conflict (company_id, visitor_id) do update set member = excluded.member, updated_at = now()
      returning member, fields`);
    return toProfile(row);
  }

  async mergeFields(companyId: string, visitorId: string, fields: Record<string, string>): Promise<VisitorProfile> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<ProfileRow[]>`
      insert into visitor_profiles (company_id, visitor_id, fields) values (${companyId}, ${visitorId}, ${tx.json(fields)})
      on conflict (company_id, visitor_id) do update set fields = visitor_profiles.fields || excluded.fields, updated_at = now()
      returning member, fields`);
    return toProfile(row);
  }

  async declineAttachment(companyId: string, conversationId: string, fileKey: string): Promise<void> {
    await withCompany(this.sql, companyId, (tx) => tx`
      update messages set attachment = attachment || '{"declined":true}'::jsonb
       where conversation_id = ${conversationId} and attachment->>'key' = ${fileKey}`);
  }
}

export function createChatExtrasStore(appUrl: string, max = 3): { store: PgChatExtrasStore; close(): Promise<void> } {
  const sql = postgres(appUrl, { max, onnotice: () => {}, connection: { application_name: 'switchboard-chat-extras' } });
  return { store: new PgChatExtrasStore(sql), close: () => sql.end({ timeout: 5 }) };
}
