// Frames on /ws/visitor. `VisitorIn` = visitor → server, `VisitorOut` = server → visitor.
import { Type, type Static } from '@sinclair/typebox';
import {
  ChatMessage, ClientMsgId, ErrorFrame, FileKey, FormFields, Id, Millis, RatingScore, Ref, Seq, Text, WidgetStateT, type FormField,
} from './schema-common.js';

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
  /** L1: the host site's signed member token (docs/member-integration.md); a bad one is ignored. */
  memberToken: Type.Optional(Type.String({ maxLength: 4096 })),
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

/** E2/E3: sends a file uploaded by POST /api/v1/widget/files into the chat as a message. */
export const VisitorFileSend = frame('file.send', { conversationId: Id, clientMsgId: ClientMsgId, fileKey: FileKey });
/** E8: rates the chat, during or after it; a later rating replaces the earlier one. */
export const RatingSubmit = frame('rating.submit', { conversationId: Id, score: RatingScore, comment: Type.Optional(Type.String({ maxLength: 500 })) });
/** E7 info form / J5 pre-chat form answers; they go into the visitor's customer record. */
export const FormSubmit = frame('form.submit', { conversationId: Id, fields: FormFields });

export const VisitorIn = Type.Union([
  VisitorHello, ChatRequest, VisitorMessageSend, VisitorTyping, VisitorChatEnd, Ping, InviteAccept, InviteDecline,
  VisitorFileSend, RatingSubmit, FormSubmit,
]);
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
  /** the agent pushed the satisfaction survey (E8) */
  | { v: 1; type: 'rating.requested'; conversationId: string }
  | { v: 1; type: 'rating.saved'; ref?: string; conversationId: string; score: number; comment: string }
  /** the agent pushed the info form (E7) */
  | { v: 1; type: 'form.requested'; conversationId: string; fields: FormField[] }
  | { v: 1; type: 'form.saved'; ref?: string; conversationId: string }
  /** the agent refused a file the visitor sent (E2) */
  | { v: 1; type: 'file.declined'; conversationId: string; fileKey: string }
  | Static<typeof ErrorFrame>;

export { Millis };
