// F1 agent-to-agent chat: 1:1 threads between agents of one company, with the
// recipient's read state. Every method is scoped to a company; an agent id that
// is not the company's raises NotFoundError (the route answers 404).

import type { AgentChatFile, AgentChatMessage } from '../../../protocol/collab-types.js';

export type { AgentChatFile, AgentChatMessage };

export interface AgentChatContact {
  id: string;
  name: string;
  disabled: boolean;
  /** messages from this agent to me not yet read */
  unread: number;
  lastAt: number | null;
}

export interface AgentChatStore {
  /** Every other agent of the company, with my unread count from each. */
  contacts(companyId: string, me: string): Promise<AgentChatContact[]>;
  send(companyId: string, input: { from: string; to: string; text: string; file: AgentChatFile | null }): Promise<AgentChatMessage>;
  /** The thread between me and `other`, oldest first; `beforeId` pages backwards. */
  thread(companyId: string, me: string, other: string, opts: { limit: number; beforeId?: number }): Promise<AgentChatMessage[]>;
  /** Marks everything `other` sent me as read; returns how many changed. */
  markRead(companyId: string, me: string, other: string): Promise<number>;
  unreadTotal(companyId: string, me: string): Promise<number>;
}
