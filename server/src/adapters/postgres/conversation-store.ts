// ConversationStore on Postgres. Tenant reads and writes go through
// withCompany() (RLS-scoped transaction); appendMessage goes through the group
// committer, the lifecycle writes (create, assign, requeue, end) through the
// lifecycle committer; openConversations() is the one cross-company read, done by the
// SECURITY DEFINER function sys_open_conversations().
import type { Logger } from 'pino';
import type { ChatMessage, ConversationSummary, SenderKind } from '../../../../protocol/index.js';
import type {
  AppendResult, AssignmentEntry, ConversationFilter, ConversationStore, NewConversation, NewMessage, RoutableConversation, StoredWhisper,
} from '../../ports/conversation-store.js';
import { ConflictError, NotFoundError } from '../../ports/errors.js';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.js';
import { uuidv7 } from './ids.js';
import { LifecycleCommitter, type LifecycleCommitOptions, type LifecycleOp } from './lifecycle-commit.js';
import { FOREIGN_KEY_VIOLATION, pgCode, withCompany, type Sql } from './with-company.js';

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
  private readonly lifecycle: LifecycleCommitter;

  constructor(private readonly sql: Sql, logger: Logger, groupCommit?: GroupCommitOptions, lifecycleCommit?: LifecycleCommitOptions) {
    this.committer = new GroupCommitter(sql, logger.child({ component: 'pg-group-commit' }), groupCommit);
    this.lifecycle = new LifecycleCommitter(sql, logger.child({ component: 'pg-lifecycle-commit' }), lifecycleCommit);
  }

  async createConversation(input: NewConversation): Promise<ConversationSummary> {
    const id = uuidv7();
    const scope = input.scope ?? 'company';
    const r = await this.lifecycle.run(input.companyId, {
      k: 'create', conv: id, vid: input.visitorId, vname: input.visitorName, gid: input.groupId, scope,
    }).catch((err: unknown) => { throw pgCode(err) === FOREIGN_KEY_VIOLATION ? new NotFoundError('company') : err; });
    if (r.status !== 'ok') throw new NotFoundError('company');
    return {
      id, visitorId: input.visitorId, visitorName: input.visitorName, state: 'queued', agentId: null, groupId: input.groupId,
      createdAt: r.at!.getTime(), endedAt: null, lastSeq: 0, firstMessage: null,
    };
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    return this.committer.append(input);
  }

  /** Group-commit counters: statements sent, messages in them, batches retried one by one. */
  groupCommitStats(): { batches: number; messages: number; retriedBatches: number } {
    return { ...this.committer.stats };
  }

  async assign(companyId: string, conversationId: string, agentId: string): Promise<void> {
    await this.change(companyId, { k: 'assign', conv: conversationId, agent: agentId, routed: false });
  }

  async requeue(companyId: string, conversationId: string): Promise<void> {
    await this.change(companyId, { k: 'requeue', conv: conversationId, routed: false });
  }

  async assignRouted(companyId: string, e: AssignmentEntry): Promise<void> {
    await this.change(companyId, {
      k: 'assign', conv: e.conversationId, agent: e.agentId, routed: true, mode: e.mode, status: e.status, load: e.load, cap: e.cap,
      ascope: e.scope, ticket: e.ticket, decision: e.decision,
    });
  }

  async requeueRouted(companyId: string, input: { conversationId: string; previousAgentId: string | null; reason: string; decision: number }): Promise<void> {
    await this.change(companyId, {
      k: 'requeue', conv: input.conversationId, routed: true, prev: input.previousAgentId, reason: input.reason, decision: input.decision,
    });
  }

  /** Ending twice is a no-op: visitor and agent may close the same chat at once. */
  async endRouted(companyId: string, input: { conversationId: string; by: SenderKind; decision: number }): Promise<void> {
    await this.change(companyId, { k: 'end', conv: input.conversationId, routed: true, by: input.by, decision: input.decision });
  }

  /** Lifecycle-commit counters: statements sent, ops in them, batches retried one by one. */
  lifecycleStats(): { batches: number; ops: number; retriedBatches: number } {
    return { ...this.lifecycle.stats };
  }

  /** A lifecycle op through the group committer; NotFound hides other companies' rows (RLS). */
  private async change(companyId: string, op: LifecycleOp): Promise<void> {
    const r = await this.lifecycle.run(companyId, op);
    if (r.status === 'not_found') throw new NotFoundError('conversation');
    if (r.status === 'ended') throw new ConflictError('conversation has ended');
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
    await this.change(companyId, { k: 'end', conv: conversationId, routed: false, by });
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
    await Promise.all([this.committer.drain(), this.lifecycle.drain()]);
  }
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
