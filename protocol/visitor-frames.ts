// Frames on /ws/visitor. `VisitorIn` = visitor → server, `VisitorOut` = server → visitor.
import { Type, type Static } from '@sinclair/typebox';
import { ChatMessage, ClientMsgId, ErrorFrame, Id, Millis, Ref, Seq, Text, WidgetStateT } from './schema-common.js';

const frame = <T extends string, P extends Record<string, any>>(type: T, props: P) =>
  Type.Object({ v: Type.Literal(1), type: Type.Literal(type), ref: Ref, ...props }, { additionalProperties: false });

export const PageInfo = Type.Object(
  {
    url: Type.String({ maxLength: 2048 }),
    title: Type.Optional(Type.String({ maxLength: 512 })),
    referrer: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const VisitorHello = frame('visitor.hello', {
  page: Type.Optional(PageInfo),
  name: Type.Optional(Type.String({ maxLength: 64 })),
  lang: Type.Optional(Type.String({ maxLength: 16 })),
  /** Conversation to resume after a reconnect, with the last seq the client holds. */
  resume: Type.Optional(Type.Object({ conversationId: Id, lastSeq: Seq }, { additionalProperties: false })),
});
export const ChatRequest = frame('chat.request', {
  groupId: Type.Optional(Id),
  /** Ask for one agent (bound-agent scope); wins over groupId. */
  agentId: Type.Optional(Id),
  text: Type.Optional(Text),
  clientMsgId: Type.Optional(ClientMsgId),
});
export const VisitorMessageSend = frame('message.send', { conversationId: Id, clientMsgId: ClientMsgId, text: Text });
export const VisitorTyping = frame('typing', { conversationId: Id, draft: Type.Optional(Type.String({ maxLength: 5000 })) });
export const VisitorChatEnd = frame('chat.end', { conversationId: Id });
export const Ping = frame('ping', {});
/** The visitor accepts or closes the invitation shown by `invite.shown`. */
export const InviteAccept = frame('invite.accept', {});
export const InviteDecline = frame('invite.decline', {});

export const VisitorIn = Type.Union([VisitorHello, ChatRequest, VisitorMessageSend, VisitorTyping, VisitorChatEnd, Ping, InviteAccept, InviteDecline]);
export type VisitorIn = Static<typeof VisitorIn>;

// ---- server → visitor (not validated at runtime; typed for senders and clients)
export type VisitorOut =
  | { v: 1; type: 'visitor.ready'; visitorId: string; widget: Static<typeof WidgetStateT>; conversation: null | { id: string; state: string; lastSeq: number } }
  | { v: 1; type: 'widget.state'; state: Static<typeof WidgetStateT> }
  | { v: 1; type: 'chat.queued'; conversationId: string; position: number; ahead: number }
  | { v: 1; type: 'queue.position'; conversationId: string; position: number; ahead: number }
  | { v: 1; type: 'chat.assigned'; conversationId: string; agent: { id: string; name: string } }
  | { v: 1; type: 'message.created'; message: ChatMessage }
  | { v: 1; type: 'message.ack'; ref?: string; conversationId: string; clientMsgId: string; seq: number; at: number }
  | { v: 1; type: 'typing'; conversationId: string; who: 'agent' }
  | { v: 1; type: 'chat.ended'; conversationId: string; by: 'visitor' | 'agent' | 'system' }
  /** popup = invitation box; chat = the chat window opens by itself (active chat). */
  | { v: 1; type: 'invite.shown'; kind: 'popup' | 'chat'; greeting: string; agent: { id: string; name: string } | null }
  | { v: 1; type: 'invite.hidden' }
  | { v: 1; type: 'pong' }
  | Static<typeof ErrorFrame>;

export { Millis };
