// ConversationStore on Postgres. Tenant reads and writes go through
// withCompany() (RLS-scoped transaction); appendMessage goes through the group
// committer; openConversations() is the one cross-company read, done by the
// SECURITY DEFINER function sys_open_conversations().
import type { Logger } from 'pino';
import type { ChatMessage, ConversationSummary, SenderKind } from '../../../../protocol/index.js';
import type {
  AppendResult, AssignmentEntry, ConversationFilter, ConversationStore, NewConversation, NewMessage, RoutableConversation, StoredWhisper,
} from '../../ports/conversation-store.js';
import { ConflictError, NotFoundError } from '../../ports/errors.js';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';
import { uuidv7 } from './ids.js';
import { FOREIGN_KEY_VIOLATION, pgCode, withCompany, type Sql, type Tx } from './with-company.js';

interface ConversationRow {
  company_id: string;
  id: string;
  visitor_id: string;
  visitor_name: string;
  group_id: string | null;
  agent_id: string | null;
  state: ConversationSummary['state'];
  created_at: Date;
  ended_at: Date | null;
  last_seq: number;
  first_message: string | null;
}

interface MessageRow {
  conversation_id: string;
  seq: number;
  sender: SenderKind;
  sender_id: string | null;
  sender_name: string | null;
  attachment?: ChatMessage['attachment'] | null;
  text: string;
  client_msg_id: string | null;
  created_at: Date;
}

const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 500;
const DEFAULT_MESSAGES_LIMIT = 500;
const MAX_MESSAGES_LIMIT = 5000;

export class PgConversationStore implements ConversationStore {
  private readonly committer: GroupCommitter;

  constructor(private readonly sql: Sql, logger: Logger, groupCommit?: GroupCommitOptions) {
    this.committer = new GroupCommitter(sql, logger.child({ component: 'pg-group-commit' }), groupCommit);
  }

  async createConversation(input: NewConversation): Promise<ConversationSummary> {
    const id = uuidv7();
    try {
      const [row] = await withCompany(this.sql, input.companyId, (tx) => tx<ConversationRow[]>`
        insert into conversations (company_id, id, visitor_id, visitor_name, group_id, scope)
        values (${input.companyId}, ${id}, ${input.visitorId}, ${input.visitorName}, ${input.groupId}, ${input.scope ?? 'company'})
        returning *`);
      return toSummary(row!);
    } catch (err) {
      if (pgCode(err) === FOREIGN_KEY_VIOLATION) throw new NotFoundError('company');
      throw err;
    }
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    return this.committer.append(input);
  }

  /** Group-commit counters: statements sent, messages in them, batches retried one by one. */
  groupCommitStats(): { batches: number; messages: number; retriedBatches: number } {
    return { ...this.committer.stats };
  }

  async assign(companyId: string, conversationId: string, agentId: string): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      await lockOpen(tx, conversationId);
      await tx`update conversations set state = 'active', agent_id = ${agentId}, assigned_at = now()
               where id = ${conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event)
               values (${companyId}, ${conversationId}, ${agentId}, 'assigned')`;
    });
  }

  async requeue(companyId: string, conversationId: string): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      const previous = await lockOpen(tx, conversationId);
      await tx`update conversations set state = 'queued', agent_id = null, assigned_at = null
               where id = ${conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event)
               values (${companyId}, ${conversationId}, ${previous.agent_id}, 'requeued')`;
    });
  }

  async assignRouted(companyId: string, e: AssignmentEntry): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      await lockOpen(tx, e.conversationId);
      await tx`update conversations set state = 'active', agent_id = ${e.agentId}, assigned_at = now(), transfer_to = null
               where id = ${e.conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event, mode, status, load, cap, scope, ticket, decision)
               values (${companyId}, ${e.conversationId}, ${e.agentId}, 'assigned', ${e.mode}, ${e.status}, ${e.load}, ${e.cap},
                       ${e.scope}, ${e.ticket}, ${e.decision})`;
    });
  }

  async requeueRouted(companyId: string, input: { conversationId: string; previousAgentId: string | null; reason: string; decision: number }): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      await lockOpen(tx, input.conversationId);
      await tx`update conversations set state = 'queued', agent_id = null, assigned_at = null, transfer_to = null
               where id = ${input.conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event, reason, decision)
               values (${companyId}, ${input.conversationId}, ${input.previousAgentId}, 'requeued', ${input.reason}, ${input.decision})`;
    });
  }

  async endRouted(companyId: string, input: { conversationId: string; by: SenderKind; decision: number }): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      const [row] = await tx<{ state: string; agent_id: string | null }[]>`
        select state, agent_id from conversations where id = ${input.conversationId} for update`;
      if (!row) throw new NotFoundError('conversation');
      if (row.state === 'ended') return;
      await tx`update conversations set state = 'ended', ended_at = now(), ended_by = ${input.by}, transfer_to = null
               where id = ${input.conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event, decision)
               values (${companyId}, ${input.conversationId}, ${row.agent_id}, 'ended', ${input.decision})`;
    });
  }

  async setTransfer(companyId: string, conversationId: string, toAgentId: string | null): Promise<void> {
    await withCompany(this.sql, companyId, (tx) => tx`
      update conversations set transfer_to = ${toAgentId}, state = ${toAgentId === null ? 'active' : 'transferring'}
       where id = ${conversationId} and state in ('active', 'transferring')`);
  }

  async openOf(companyId: string): Promise<RoutableConversation[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<(ConversationRow & { scope: string; transfer_to: string | null })[]>`
      select * from conversations where company_id = ${companyId} and state <> 'ended' order by created_at, id`);
    return rows.map((r) => ({ ...toSummary(r), scope: r.scope, transferTo: r.transfer_to }));
  }

  async acceptedToday(companyId: string, timeZone: string): Promise<Record<string, number>> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<{ agent_id: string; n: string }[]>`
      select agent_id, count(*) as n from assignment_log
       where company_id = ${companyId} and event = 'assigned' and agent_id is not null
         and at >= (date_trunc('day', now() at time zone ${timeZone}) at time zone ${timeZone})
       group by agent_id`);
    return Object.fromEntries(rows.map((r) => [r.agent_id, Number(r.n)]));
  }

  async appendWhisper(companyId: string, input: Omit<StoredWhisper, 'id' | 'at'>): Promise<StoredWhisper> {
    return withCompany(this.sql, companyId, async (tx) => {
      const [conv] = await tx<{ state: string }[]>`select state from conversations where id = ${input.conversationId}`;
      if (!conv) throw new NotFoundError('conversation');
      const [row] = await tx<WhisperRow[]>`
        insert into whispers (company_id, conversation_id, supervisor_id, agent_ids, text, client_msg_id)
        values (${companyId}, ${input.conversationId}, ${input.supervisorId}, ${input.agentIds}, ${input.text}, ${input.clientMsgId})
        on conflict (company_id, conversation_id, client_msg_id) do nothing
        returning *`;
      if (row) return toWhisper(row);
      const [first] = await tx<WhisperRow[]>`
        select * from whispers where conversation_id = ${input.conversationId} and client_msg_id = ${input.clientMsgId}`;
      return toWhisper(first!);
    });
  }

  async whispersFor(companyId: string, conversationId: string, agentId: string): Promise<StoredWhisper[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<WhisperRow[]>`
      select * from whispers where conversation_id = ${conversationId} and ${agentId} = any(agent_ids) order by id`);
    return rows.map(toWhisper);
  }

  /** Ending twice is a no-op: visitor and agent may close the same chat at once. */
  async end(companyId: string, conversationId: string, by: SenderKind): Promise<void> {
    await withCompany(this.sql, companyId, async (tx) => {
      const [row] = await tx<{ state: string; agent_id: string | null }[]>`
        select state, agent_id from conversations where id = ${conversationId} for update`;
      if (!row) throw new NotFoundError('conversation');
      if (row.state === 'ended') return;
      await tx`update conversations set state = 'ended', ended_at = now(), ended_by = ${by}
               where id = ${conversationId}`;
      await tx`insert into assignment_log (company_id, conversation_id, agent_id, event)
               values (${companyId}, ${conversationId}, ${row.agent_id}, 'ended')`;
    });
  }

  async get(companyId: string, conversationId: string): Promise<ConversationSummary | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<ConversationRow[]>`
      select * from conversations where id = ${conversationId}`);
    return row ? toSummary(row) : null;
  }

  /** Newest first; `before` continues after the given conversation (keyset paging). */
  async list(companyId: string, filter: ConversationFilter): Promise<ConversationSummary[]> {
    const limit = clamp(filter.limit ?? DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    const rows = await withCompany(this.sql, companyId, (tx) => tx<ConversationRow[]>`
      select * from conversations
       where company_id = ${companyId}
         ${filter.states && filter.states.length > 0 ? tx`and state = any(${filter.states})` : tx``}
         ${filter.agentId !== undefined ? tx`and agent_id = ${filter.agentId}` : tx``}
         ${filter.visitorId !== undefined ? tx`and visitor_id = ${filter.visitorId}` : tx``}
         ${filter.before !== undefined
           ? tx`and (created_at, id) < (select created_at, id from conversations where id = ${filter.before})`
           : tx``}
       order by created_at desc, id desc
       limit ${limit}`);
    return rows.map(toSummary);
  }

  async messagesAfter(companyId: string, conversationId: string, afterSeq: number, limit = DEFAULT_MESSAGES_LIMIT): Promise<ChatMessage[]> {
    const n = clamp(limit, 1, MAX_MESSAGES_LIMIT);
    const rows = await withCompany(this.sql, companyId, (tx) => tx<MessageRow[]>`
      select conversation_id, seq, sender, sender_id, sender_name, text, client_msg_id, created_at, attachment
        from messages
       where conversation_id = ${conversationId} and seq > ${afterSeq}
       order by seq
       limit ${n}`);
    return rows.map(toMessage);
  }

  async openConversations(): Promise<Array<ConversationSummary & { companyId: string }>> {
    const rows = await this.sql<ConversationRow[]>`select * from sys_open_conversations()`;
    return rows.map((r) => ({ ...toSummary(r), companyId: r.company_id }));
  }

  /** Waits for queued messages to commit; the pool itself is closed by its owner. */
  async close(): Promise<void> {
    await this.committer.drain();
  }
}

/** Locks a conversation that must not have ended; NotFound hides other companies' rows (RLS). */
async function lockOpen(tx: Tx, conversationId: string): Promise<{ state: string; agent_id: string | null }> {
  const [row] = await tx<{ state: string; agent_id: string | null }[]>`
    select state, agent_id from conversations where id = ${conversationId} for update`;
  if (!row) throw new NotFoundError('conversation');
  if (row.state === 'ended') throw new ConflictError('conversation has ended');
  return row;
}

interface WhisperRow {
  id: string; conversation_id: string; supervisor_id: string; agent_ids: string[]; text: string; client_msg_id: string | null; created_at: Date;
}

function toWhisper(r: WhisperRow): StoredWhisper {
  return {
    id: String(r.id), conversationId: r.conversation_id, supervisorId: r.supervisor_id, agentIds: r.agent_ids, text: r.text,
    clientMsgId: r.client_msg_id, at: r.created_at.getTime(),
  };
}

function toSummary(r: ConversationRow): ConversationSummary {
  return {
    id: r.id,
    visitorId: r.visitor_id,
    visitorName: r.visitor_name,
    state: r.state,
    agentId: r.agent_id,
    groupId: r.group_id,
    createdAt: r.created_at.getTime(),
    endedAt: r.ended_at ? r.ended_at.getTime() : null,
    lastSeq: r.last_seq,
    firstMessage: r.first_message,
  };
}

function toMessage(r: MessageRow): ChatMessage {
  const m: ChatMessage = {
    conversationId: r.conversation_id,
    seq: r.seq,
    sender: r.sender,
    senderId: r.sender_id,
    text: r.text,
    clientMsgId: r.client_msg_id,
    at: r.created_at.getTime(),
  };
  if (r.sender_name !== null) m.senderName = r.sender_name;
  if (r.attachment) m.attachment = r.attachment;
  return m;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(n)));
