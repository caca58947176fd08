// Effects the router asks the runtime to perform. Each is a named XState action with
// these params; server/src/runtime provides the implementations via .provide().
import type { RejectParams, ScopeKey, WidgetState } from './types.js';

export type AssignmentMode = 'auto' | 'manual' | 'transfer' | 'takeover';
export type RequeueReason = 'declined' | 'offerTimeout' | 'agentOffline' | 'agentUnavailable';

export interface PersistAssignmentParams {
  conversationId: string;
  agentId: string;
  previousAgentId: string | null;
  mode: AssignmentMode;
  /** Transfer accepted with "show earlier history". */
  includeHistory: boolean;
}

export interface PersistRequeueParams {
  conversationId: string;
  previousAgentId: string | null;
  reason: RequeueReason;
}

/** Maps 1:1 onto VisitorOut frames `chat.queued`, `queue.position`, `chat.assigned`. */
export type VisitorNotice =
  | { type: 'chat.queued'; position: number; ahead: number }
  | { type: 'queue.position'; position: number; ahead: number }
  | { type: 'chat.assigned'; agentId: string; agentName: string };

export interface NotifyVisitorParams {
  conversationId: string;
  visitorId: string;
  notice: VisitorNotice;
}

export type AgentNotice =
  | { type: 'chat.offered'; conversationId: string; timeoutMs: number }
  | { type: 'chat.offerWithdrawn'; conversationId: string; reason: 'timeout' | 'unavailable' | 'ended' }
  | { type: 'chat.assigned'; conversationId: string; mode: AssignmentMode; includeHistory: boolean }
  | { type: 'chat.unassigned'; conversationId: string; reason: 'transferred' | 'takenOver' | 'requeued' | 'ended' }
  | { type: 'transfer.offered'; conversationId: string; fromAgentId: string; timeoutMs: number }
  | { type: 'transfer.result'; conversationId: string; toAgentId: string; result: 'accepted' | 'rejected' | 'timeout' | 'cancelled' };

export interface NotifyAgentParams {
  agentId: string;
  notice: AgentNotice;
}

/** Events the runtime forwards to `conversation:<id>` (see conversation.machine.ts). */
export type RoutingToConversation =
  | { type: 'routing.queued'; position: number; ahead: number; widget: WidgetState }
  | { type: 'routing.assigned'; agentId: string; agentName: string; mode: AssignmentMode; includeHistory: boolean; watchers: string[] }
  | { type: 'routing.requeued'; reason: RequeueReason }
  | { type: 'routing.transferStarted'; toAgentId: string }
  | { type: 'routing.transferEnded'; result: 'rejected' | 'timeout' | 'cancelled' }
  | { type: 'routing.watchers'; watchers: string[] };

export interface NotifyConversationParams {
  conversationId: string;
  event: RoutingToConversation;
}

export interface QueueChangedParams {
  /** Scopes whose waiting list changed; push `queue.snapshot` to agents of those scopes. */
  scopes: ScopeKey[];
}

export interface WidgetStateChangedParams {
  scope: ScopeKey;
  state: WidgetState;
}

export interface MonitorChangedParams {
  supervisorId: string;
  agentId: string;
  active: boolean;
  /** The monitored agent's live chats at this moment. */
  conversationIds: string[];
}

export type RoutingFact =
  | { kind: 'queued'; conversationId: string; scope: ScopeKey }
  | { kind: 'assigned'; conversationId: string; agentId: string; mode: AssignmentMode }
  | { kind: 'offered'; conversationId: string; agentId: string }
  | { kind: 'requeued'; conversationId: string; agentId: string | null; reason: RequeueReason }
  | { kind: 'transfer_requested'; conversationId: string; fromAgentId: string; toAgentId: string }
  | { kind: 'ended'; conversationId: string; agentId: string | null };

export type TimerDelay = 'offerTimeout' | 'preferLastWait' | 'transferTimeout';

/** Internal timer events the router raises to itself (delayed); stale ones are ignored. */
export type RouterTimerEvent =
  | { type: 'offer.expired'; conversationId: string; agentId: string }
  | { type: 'hold.expired'; conversationId: string }
  | { type: 'transfer.expired'; conversationId: string; toAgentId: string };

export type RouterEffect =
  | { type: 'persistAssignment'; params: PersistAssignmentParams }
  | { type: 'persistRequeue'; params: PersistRequeueParams }
  | { type: 'notifyVisitor'; params: NotifyVisitorParams }
  | { type: 'notifyAgent'; params: NotifyAgentParams }
  | { type: 'notifyConversation'; params: NotifyConversationParams }
  | { type: 'queueChanged'; params: QueueChangedParams }
  | { type: 'widgetStateChanged'; params: WidgetStateChangedParams }
  | { type: 'monitorChanged'; params: MonitorChangedParams }
  | { type: 'recordAnalytics'; params: RoutingFact }
  | { type: 'reject'; params: RejectParams }
  | { type: 'startTimer'; params: { id: string; delay: TimerDelay; event: RouterTimerEvent } }
  | { type: 'cancelTimer'; params: { id: string } };
