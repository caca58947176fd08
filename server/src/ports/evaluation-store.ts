// Conversation evaluation (E10) and the company's topic list. Every method is
// scoped to a company; the pending queue also to the agent who served.
export interface EvaluationTopic {
  id: string;
  name: string;
  sort: number;
  isDefault: boolean;
}

export const GENDERS = ['', 'male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export interface EvaluationFields {
  name: string;
  gender: Gender;
  category: string;
  phone: string;
  channel: string;
  /** a topic name from the list (kept by name so history survives topic edits) */
  topic: string;
  level: string;
  remarks: string;
}

export interface Evaluation extends EvaluationFields {
  conversationId: string;
  /** who saved it last */
  agentId: string;
  updatedAt: number;
}

export interface PendingEvaluation {
  conversationId: string;
  visitorId: string;
  visitorName: string;
  createdAt: number;
  endedAt: number;
}

/** What a route needs to know about a conversation before touching its evaluation. */
export interface ConversationRef {
  id: string;
  agentId: string | null;
  visitorId: string;
}

export interface EvaluationStore {
  topics(companyId: string): Promise<EvaluationTopic[]>;
  /** replaces the whole list (order = array order); at most one default */
  saveTopics(companyId: string, topics: Array<{ name: string; isDefault: boolean }>): Promise<EvaluationTopic[]>;
  conversation(companyId: string, conversationId: string): Promise<ConversationRef | null>;
  get(companyId: string, conversationId: string): Promise<Evaluation | null>;
  save(companyId: string, conversationId: string, agentId: string, fields: EvaluationFields): Promise<Evaluation>;
  /** the agent's ended chats without an evaluation, newest first */
  pending(companyId: string, agentId: string, limit: number): Promise<{ items: PendingEvaluation[]; total: number }>;
}
