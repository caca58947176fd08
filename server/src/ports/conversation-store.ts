// Durable conversations and messages. Postgres is the source of truth: a message
// exists (and may be acknowledged) only once appendMessage() has resolved, i.e.
// after its COMMIT. Every method is scoped to a company; implementations must never
// read or write another company's rows.
import type { Attachment, ChatMessage, ConversationSummary, SenderKind } from '../../../protocol/index.js';

export interface NewConversation {
  companyId: string;
  visitorId: string;
  visitorName: string;
  groupId: string | null;
  /** Routing scope key (`company`, `group:<id>`, `agent:<id>`); default `company`. */
  scope?: string;
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
  /** a file sent with the message (E2/E3), stored with it */
  attachment?: Attachment;
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

/** One router decision written to assignment_log, with the router's view at that moment. */
export interface AssignmentEntry {
  conversationId: string;
  agentId: string;
  mode: 'auto' | 'manual' | 'transfer' | 'takeover';
  /** agent status when the router decided */
  status: string;
  /** agent load (chats + offers + incoming transfers) after the decision, and its cap */
  load: number;
  cap: number;
  scope: string;
  ticket: number;
  /** orders decisions of one company (monotonic) */
  decision: number;
}

/** An open conversation as the company router rebuilds it after a restart. */
export interface RoutableConversation extends ConversationSummary {
  scope: string;
  transferTo: string | null;
}

export interface StoredWhisper {
  id: string;
  conversationId: string;
  supervisorId: string;
  agentIds: string[];
  text: string;
  clientMsgId: string | null;
  at: number;
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
  /** Router decision: queued/offered/transferring → active with this agent; logs the decision. */
  assignRouted(companyId: string, entry: AssignmentEntry): Promise<void>;
  /** Router decision: back to queued (agent gone, declined, offer timed out). */
  requeueRouted(companyId: string, input: { conversationId: string; previousAgentId: string | null; reason: string; decision: number }): Promise<void>;
  /** Ends (idempotent) and logs the end with its decision number. */
  endRouted(companyId: string, input: { conversationId: string; by: SenderKind; decision: number }): Promise<void>;
  /** Marks a pending transfer (state transferring) or clears it (back to active). */
  setTransfer(companyId: string, conversationId: string, toAgentId: string | null): Promise<void>;
  /** One company's queued/active/transferring conversations, oldest first. */
  openOf(companyId: string): Promise<RoutableConversation[]>;
  /** Chats each agent accepted (auto/manual/transfer/takeover) since the company-local midnight of now. */
  acceptedToday(companyId: string, timeZone: string): Promise<Record<string, number>>;
  /** Stores a whisper; a retry with the same clientMsgId returns the first. */
  appendWhisper(companyId: string, input: Omit<StoredWhisper, 'id' | 'at'>): Promise<StoredWhisper>;
  /** Whispers of a conversation a console user may read. */
  whispersFor(companyId: string, conversationId: string, agentId: string): Promise<StoredWhisper[]>;
  /** All companies' queued/active conversations, oldest first: used for recovery after restart. */
  openConversations(): Promise<Array<ConversationSummary & { companyId: string }>>;
  close(): Promise<void>;
}
