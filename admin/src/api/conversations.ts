// Conversation history over REST (D8, G1). Live traffic goes over the socket.
import type { ChatMessage, ConversationSummary } from '../../../protocol/schema-common';
import { request } from './http';

export interface ListOptions {
  state?: 'ended' | 'active' | 'queued';
  limit?: number;
  /** id of the last item of the previous page */
  before?: string;
}

export const listConversations = (opts: ListOptions) =>
  request<{ items: ConversationSummary[] }>('GET', '/api/v1/conversations', {
    query: { state: opts.state, limit: opts.limit ?? 50, before: opts.before },
  });

export const conversationMessages = (id: string, afterSeq = 0) =>
  request<{ items: ChatMessage[] }>('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages`, { query: { afterSeq } });
