// Frames on /ws/agent. `AgentIn` = console → server, `AgentOut` = server → console.
import { Type, type Static } from '@sinclair/typebox';
import { AgentStatusT, ChatMessage, ClientMsgId, ConversationSummary, ErrorFrame, Id, Ref, Seq, Text } from './schema-common.js';
import type { AgentStatus, WidgetState } from './codes.js';

const frame = <T extends string, P extends Record<string, any>>(type: T, props: P) =>
  Type.Object({ v: Type.Literal(1), type: Type.Literal(type), ref: Ref, ...props }, { additionalProperties: false });

export const AgentHello = frame('agent.hello', {
  /** Conversations the console already holds, with the last seq it has of each. */
  resume: Type.Optional(Type.Array(Type.Object({ conversationId: Id, lastSeq: Seq }, { additionalProperties: false }), { maxItems: 500 })),
});
export const StatusSet = frame('agent.status.set', { status: AgentStatusT });
export const ConversationAccept = frame('conversation.accept', { conversationId: Id });
export const AgentMessageSend = frame('message.send', { conversationId: Id, clientMsgId: ClientMsgId, text: Text });
export const AgentTyping = frame('typing', { conversationId: Id });
export const ConversationEnd = frame('conversation.end', { conversationId: Id });
export const HistoryFetch = frame('conversation.history', { conversationId: Id, afterSeq: Type.Optional(Seq) });
export const AgentPing = frame('ping', {});

export const AgentIn = Type.Union([AgentHello, StatusSet, ConversationAccept, AgentMessageSend, AgentTyping, ConversationEnd, HistoryFetch, AgentPing]);
export type AgentIn = Static<typeof AgentIn>;

export interface AgentInfo {
  id: string;
  name: string;
  status: AgentStatus;
}

// ---- server → console
export type AgentOut =
  | { v: 1; type: 'agent.ready'; agent: AgentInfo; companyId: string; queue: ConversationSummary[]; conversations: ConversationSummary[] }
  | { v: 1; type: 'agent.status'; status: AgentStatus }
  | { v: 1; type: 'queue.snapshot'; queue: ConversationSummary[] }
  | { v: 1; type: 'conversation.updated'; conversation: ConversationSummary }
  | { v: 1; type: 'message.created'; message: ChatMessage }
  | { v: 1; type: 'message.ack'; ref?: string; conversationId: string; clientMsgId: string; seq: number; at: number }
  | { v: 1; type: 'conversation.history'; ref?: string; conversationId: string; messages: ChatMessage[] }
  | { v: 1; type: 'typing'; conversationId: string; who: 'visitor'; draft?: string }
  | { v: 1; type: 'widget.state'; state: WidgetState }
  | { v: 1; type: 'pong' }
  | Static<typeof ErrorFrame>;
