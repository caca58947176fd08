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
