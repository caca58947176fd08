// Constants shared by server, widget and console. No schema library here, so the
// widget loader can import this file without pulling TypeBox into its bundle.

export const PROTOCOL_VERSION = 1 as const;

/** Largest frame the gateway accepts; uWS closes the socket above this. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Longest chat message text, in UTF-16 code units. */
export const MAX_MESSAGE_LENGTH = 5000;

/** Error codes carried by `{ type: 'error', code }` frames and 4xx JSON bodies. */
export const ErrorCode = {
  BadJson: 'bad_json',
  BadFrame: 'bad_frame',
  UnknownType: 'unknown_type',
  TooLarge: 'too_large',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  AlreadyTaken: 'already_taken',
  NotAllowedNow: 'not_allowed_now',
  RateLimited: 'rate_limited',
  Unavailable: 'unavailable',
  Internal: 'internal',
  BadRequest: 'bad_request',
  CsrfFailed: 'csrf_failed',
  BadCredentials: 'bad_credentials',
  Blocked: 'blocked',
  /** a transfer needs another agent online */
  NoAgentOnline: 'no_agent_online',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes, all in the private range 4000–4099. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  Unauthorized: 4001,
  Forbidden: 4003,
  TooLarge: 4009,
  Replaced: 4010,
  SessionExpired: 4011,
  ServerShutdown: 4012,
  Blocked: 4013,
  TooManyErrors: 4029,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const AGENT_STATUSES = ['online', 'busy', 'away', 'invisible', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const WIDGET_STATES = ['online', 'busy', 'offline'] as const;
export type WidgetState = (typeof WIDGET_STATES)[number];

export const CONVERSATION_STATES = ['queued', 'active', 'transferring', 'ended'] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export const SENDER_KINDS = ['visitor', 'agent', 'system'] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];
