// Durable conversations and messages. Postgres is the source of truth: a message
// exists (and may be acknowledged) only once appendMessage() has resolved, i.e.
// after its COMMIT. Every method is scoped to a company; implementations must never
// read or write another company's rows.
import type { ChatMessage, ConversationSummary, SenderKind } from '../../../protocol/index.js';

export interface NewConversation {
  companyId: string;
  visitorId: string;
  visitorName: string;
  groupId: string | null;
}

export interface NewMessage {
  companyId: string;
  conversationId: string;
  sender: SenderKind;
  senderId: string | null;
  senderName?: string;
  text: string;
  /** Idempotency key; null for system messages. */
  clientMsgId: string | null;
}

export interface AppendResult {
  message: ChatMessage;
  /** true when clientMsgId was already stored: `message` is the first result. */
  duplicate: boolean;
}

export interface ConversationFilter {
  states?: ConversationSummary['state'][];
  agentId?: string;
  visitorId?: string;
  limit?: number;
  /** keyset paging: conversations created before this one */
  before?: string;
}

export interface ConversationStore {
  /** Creates a conversation in state `queued`. */
  createConversation(input: NewConversation): Promise<ConversationSummary>;
  /**
   * Appends a message with the next gapless `seq` of its conversation. Calls that
   * arrive within a few ms are committed together (group commit). A retry with
   * the same clientMsgId returns the stored message with `duplicate: true`.
   * Rejects with NotFoundError when the conversation is not the company's, and
   * with ConflictError when it has ended.
   */
  appendMessage(input: NewMessage): Promise<AppendResult>;
  /** Moves queued/active → active with this agent. */
  assign(companyId: string, conversationId: string, agentId: string): Promise<void>;
  /** Moves back to queued (agent dropped / declined). */
  requeue(companyId: string, conversationId: string): Promise<void>;
  end(companyId: string, conversationId: string, by: SenderKind): Promise<void>;
  get(companyId: string, conversationId: string): Promise<ConversationSummary | null>;
  list(companyId: string, filter: ConversationFilter): Promise<ConversationSummary[]>;
  /** Messages with seq > afterSeq, ordered by seq. */
  messagesAfter(companyId: string, conversationId: string, afterSeq: number, limit?: number): Promise<ChatMessage[]>;
  /** All companies' queued/active conversations, oldest first: used for recovery after restart. */
  openConversations(): Promise<Array<ConversationSummary & { companyId: string }>>;
  close(): Promise<void>;
}
