// Frames on /ws/agent. `AgentIn` = console → server, `AgentOut` = server → console.
import { Type, type Static } from '@sinclair/typebox';
import {
  AgentStatusT, ChatMessage, ClientMsgId, ConversationSummary, ErrorFrame, FileKey, Id, Ref, Seq, Text, type Rating, type VisitorProfile,
} from './schema-common.js';
import type { AgentStatus, WidgetState } from './codes.js';
import type { AgentChatMessage, AgentPermissionsUpdate, ReceivedBroadcast } from './collab-types.js';

const frame = <T extends string, P extends Record<string, any>>(type: T, props: P) =>
  Type.Object({ v: Type.Literal(1), type: Type.Literal(type), ref: Ref, ...props }, { additionalProperties: false });

export const AgentHello = frame('agent.hello', {
  /** Conversations the console already holds, with the last seq it has of each. */
  resume: Type.Optional(Type.Array(Type.Object({ conversationId: Id, lastSeq: Seq }, { additionalProperties: false }), { maxItems: 500 })),
});
export const StatusSet = frame('agent.status.set', { status: AgentStatusT });
/** The agent is at the keyboard: resets the auto-away timer (any other frame except ping does too). */
export const AgentActivity = frame('agent.activity', {});
/** Manual accept from the waiting list, or accepting an offer (`chat.offered`). */
export const ConversationAccept = frame('conversation.accept', { conversationId: Id });
/** Declines an offer; the chat goes back to the head of its queue. */
export const ConversationDecline = frame('conversation.decline', { conversationId: Id });
export const AgentMessageSend = frame('message.send', { conversationId: Id, clientMsgId: ClientMsgId, text: Text });
export const AgentTyping = frame('typing', { conversationId: Id });
export const ConversationEnd = frame('conversation.end', { conversationId: Id });
export const HistoryFetch = frame('conversation.history', { conversationId: Id, afterSeq: Type.Optional(Seq) });
export const AgentsList = frame('agents.list', {});
export const TransferRequest = frame('transfer.request', { conversationId: Id, toAgentId: Id });
export const TransferRespond = frame('transfer.respond', { conversationId: Id, accept: Type.Boolean(), includeHistory: Type.Optional(Type.Boolean()) });
export const MonitorStart = frame('monitor.start', { agentId: Id });
export const MonitorStop = frame('monitor.stop', { agentId: Id });
export const WhisperSend = frame('whisper.send', { conversationId: Id, clientMsgId: ClientMsgId, text: Text });
export const Takeover = frame('conversation.takeover', { conversationId: Id });
export const VisitorInvite = frame('visitor.invite', {
  visitorId: Id,
  /** popup = invitation box; chat = open the chat window in the visitor's page (active chat) */
  kind: Type.Union([Type.Literal('popup'), Type.Literal('chat')]),
  greeting: Type.Optional(Type.String({ maxLength: 500 })),
});
export const AgentPing = frame('ping', {});
/** E2/E3: sends a file uploaded by POST /api/v1/files into the agent's chat. */
export const AgentFileSend = frame('file.send', { conversationId: Id, clientMsgId: ClientMsgId, fileKey: FileKey });
/** E2: refuses a file the visitor sent; it stops being served and the visitor is told. */
export const FileDecline = frame('file.decline', { conversationId: Id, fileKey: FileKey });
/** E8: shows the satisfaction survey to the visitor. */
export const RatingPush = frame('rating.push', { conversationId: Id });
/** E7: shows the info form to the visitor. */
export const FormPush = frame('form.push', { conversationId: Id });

export const AgentIn = Type.Union([
  AgentHello, StatusSet, AgentActivity, ConversationAccept, ConversationDecline, AgentMessageSend, AgentTyping, ConversationEnd,
  HistoryFetch, AgentsList, TransferRequest, TransferRespond, MonitorStart, MonitorStop, WhisperSend, Takeover, VisitorInvite, AgentPing,
  AgentFileSend, FileDecline, RatingPush, FormPush,
]);
export type AgentIn = Static<typeof AgentIn>;

export interface AgentInfo {
  id: string;
  name: string;
  status: AgentStatus;
}

/** A colleague as the transfer dialog shows it. */
export interface AgentListItem extends AgentInfo {
  /** current chats + offers + incoming transfers */
  load: number;
  cap: number;
  /** a transfer to this agent would be accepted now */
  transferable: boolean;
}

export interface Whisper {
  id: string;
  conversationId: string;
  supervisorId: string;
  text: string;
  clientMsgId: string | null;
  at: number;
}

/** A visitor on the company's site right now, as the visitor feed (C1/C2) shows it. */
export interface LiveVisitor {
  id: string;
  name: string;
  member: boolean;
  status: string;
  visitCount: number;
  ip: string;
  region: string;
  engine: string;
  keyword: string;
  enteredAt: number;
  lastSeenAt: number;
  page: { url: string; title: string };
  pages: number;
  language: string;
  browser: string;
  os: string;
  device: string;
  agentId: string | null;
}

// ---- server → console
export type AgentOut =
  | { v: 1; type: 'agent.ready'; agent: AgentInfo; companyId: string; queue: ConversationSummary[]; conversations: ConversationSummary[] }
  | { v: 1; type: 'agent.status'; status: AgentStatus; autoAway?: boolean }
  | { v: 1; type: 'queue.snapshot'; queue: ConversationSummary[] }
  | { v: 1; type: 'conversation.updated'; conversation: ConversationSummary }
  | { v: 1; type: 'message.created'; message: ChatMessage }
  | { v: 1; type: 'message.ack'; ref?: string; conversationId: string; clientMsgId: string; seq: number; at: number }
  | { v: 1; type: 'conversation.history'; ref?: string; conversationId: string; messages: ChatMessage[] }
  | { v: 1; type: 'typing'; conversationId: string; who: 'visitor'; draft?: string }
  | { v: 1; type: 'widget.state'; state: WidgetState }
  | { v: 1; type: 'chat.offered'; conversation: ConversationSummary; timeoutMs: number }
  | { v: 1; type: 'chat.offer.withdrawn'; conversationId: string; reason: 'timeout' | 'unavailable' | 'ended' }
  | { v: 1; type: 'agents.list'; ref?: string; agents: AgentListItem[] }
  | { v: 1; type: 'transfer.offered'; conversation: ConversationSummary; fromAgentId: string; timeoutMs: number }
  | { v: 1; type: 'transfer.result'; conversationId: string; toAgentId: string; result: 'accepted' | 'rejected' | 'timeout' | 'cancelled' }
  | { v: 1; type: 'monitor.state'; agentId: string; active: boolean; conversations: ConversationSummary[] }
  | { v: 1; type: 'whisper.created'; ref?: string; whisper: Whisper }
  | { v: 1; type: 'visitors.snapshot'; visitors: LiveVisitor[] }
  | { v: 1; type: 'visitor.updated'; visitor: LiveVisitor }
  | { v: 1; type: 'visitor.left'; visitorId: string; at: number }
  | { v: 1; type: 'pong' }
  // F1/F2/A5 internal collaboration, pushed by the REST routes
  | { v: 1; type: 'agentchat.message'; message: AgentChatMessage }
  | { v: 1; type: 'broadcast.received'; broadcast: ReceivedBroadcast }
  | ({ v: 1; type: 'agent.permissions' } & AgentPermissionsUpdate)
  | { v: 1; type: 'conversation.rated'; conversationId: string; rating: Rating }
  | { v: 1; type: 'visitor.profile'; conversationId: string; visitorId: string; profile: VisitorProfile }
  | { v: 1; type: 'file.declined'; conversationId: string; fileKey: string }
  /** answer to rating.push / form.push / file.decline */
  | { v: 1; type: 'extras.ok'; ref?: string; conversationId: string }
  | Static<typeof ErrorFrame>;
