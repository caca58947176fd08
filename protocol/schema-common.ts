// Building blocks reused by the visitor and agent frame schemas.
import { Type, type Static, type TLiteral } from '@sinclair/typebox';
import { AGENT_STATUSES, CONVERSATION_STATES, MAX_MESSAGE_LENGTH, SENDER_KINDS, WIDGET_STATES } from './codes.js';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** A client-chosen idempotency key for one message; unique per conversation. */
export const ClientMsgId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Seq = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });
export const Text = Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH });
/** Milliseconds since the epoch (server clock). */
export const Millis = Type.Integer({ minimum: 0 });

const literals = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)) as TLiteral<T[number]>[]);
export const AgentStatusT = literals(AGENT_STATUSES);
export const WidgetStateT = literals(WIDGET_STATES);
export const ConversationStateT = literals(CONVERSATION_STATES);
export const SenderKindT = literals(SENDER_KINDS);

/** A stored upload (server/src/http/file-routes.ts): key and thumbKey are server-made names. */
export const FileKey = Type.String({ minLength: 20, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Attachment = Type.Object({
  key: FileKey,
  name: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  mime: Type.String(),
  kind: Type.Union([Type.Literal('image'), Type.Literal('file')]),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
  thumbKey: Type.Optional(FileKey),
  /** an agent refused the visitor's file; it is no longer served */
  declined: Type.Optional(Type.Boolean()),
});
export type Attachment = Static<typeof Attachment>;

export const ChatMessage = Type.Object({
  conversationId: Id,
  seq: Seq,
  sender: SenderKindT,
  /** agent id for agent messages, visitor id for visitor messages, null for system */
  senderId: Type.Union([Type.String(), Type.Null()]),
  senderName: Type.Optional(Type.String()),
  text: Type.String(),
  clientMsgId: Type.Union([Type.String(), Type.Null()]),
  at: Millis,
  /** a file or image sent with the message (E2/E3); `text` then holds its name */
  attachment: Type.Optional(Attachment),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const ConversationSummary = Type.Object({
  id: Id,
  visitorId: Id,
  visitorName: Type.String(),
  state: ConversationStateT,
  agentId: Type.Union([Id, Type.Null()]),
  groupId: Type.Union([Id, Type.Null()]),
  createdAt: Millis,
  endedAt: Type.Union([Millis, Type.Null()]),
  lastSeq: Seq,
  /** First visitor message, shown in the waiting list. */
  firstMessage: Type.Union([Type.String(), Type.Null()]),
  /** Routing scope: `company`, `group:<id>` or `agent:<id>` (queue per scope). */
  scope: Type.Optional(Type.String()),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const ErrorFrame = Type.Object({
  v: Type.Literal(1),
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  /** the `ref` of the client frame that caused it, when it had one */
  ref: Type.Optional(Type.String()),
});
export type ErrorFrame = Static<typeof ErrorFrame>;

/** Every client frame may carry a `ref` that the server echoes in acks and errors. */
export const Ref = Type.Optional(Type.String({ maxLength: 64 }));

/** Satisfaction rating (E8): 1 (worst) to 5. */
export const RatingScore = Type.Integer({ minimum: 1, maximum: 5 });
/** Visitor-entered form answers (E7 info form, J5 pre-chat form), keyed by field id. */
export const FormFields = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), Type.String({ maxLength: 500 }), { maxProperties: 20 });
export interface FormField { id: string; label: string; required: boolean }
export interface Rating { score: number; comment: string; at: number }
/** What the console shows about a visitor beyond the chat: L1 member identity and E7/J5 answers. */
export interface VisitorProfile {
  member: { id: string; name: string | null; email: string | null; phone: string | null; data: Record<string, string | number | boolean> } | null;
  fields: Record<string, string>;
}
