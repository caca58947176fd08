// Router context, input and events. The context is plain data (JSON-safe) so the
// runtime can inspect it (waiting lists) and tests can compare it.
import type { AgentStatus, WidgetState } from '../../protocol/codes.js';
import type { RouterTimerEvent } from './effects.js';
import type { Queues } from './queue.js';
import type { AgentProfile, RoutedAgent, RoutedChat, RouterSettings, Scope, ScopeKey } from './types.js';

export interface RouterContext {
  companyId: string;
  settings: RouterSettings;
  /** Company-local calendar day (e.g. '2025-03-01'); supplied by the runtime, never computed here. */
  dayKey: string;
  /** Logical clock: +1 per handled event. Orders idleness without reading Date. */
  clock: number;
  agents: Record<string, RoutedAgent>;
  chats: Record<string, RoutedChat>;
  queues: Queues;
  /** Last position told to each queued visitor. */
  told: Record<string, number>;
  widget: Record<ScopeKey, WidgetState>;
  /** Monitored agent id → supervisor ids watching it. */
  monitors: Record<string, string[]>;
  /** Ticket counter for arrival order. */
  nextTicket: number;
}

export interface RouterInput {
  companyId: string;
  settings: RouterSettings;
  dayKey: string;
  agents: RoutedAgent[];
  /** Chats in queue/assignment order: queued ones in FIFO order per scope. */
  chats: RoutedChat[];
}

type Ref = { ref?: string };

export type RouterEvent =
  | ({ type: 'agent.upsert'; profile: AgentProfile } & Ref)
  | ({ type: 'agent.presence'; agentId: string; status: AgentStatus; connected: boolean } & Ref)
  | ({ type: 'chat.request'; conversationId: string; visitorId: string; scope: Scope; lastAgentId?: string | null } & Ref)
  | ({ type: 'chat.accept'; conversationId: string; agentId: string } & Ref)
  | ({ type: 'chat.decline'; conversationId: string; agentId: string } & Ref)
  | ({ type: 'chat.ended'; conversationId: string } & Ref)
  | ({ type: 'transfer.request'; conversationId: string; fromAgentId: string; toAgentId: string } & Ref)
  | ({ type: 'transfer.accept'; conversationId: string; agentId: string; includeHistory: boolean } & Ref)
  | ({ type: 'transfer.reject'; conversationId: string; agentId: string } & Ref)
  | ({ type: 'monitor.start'; supervisorId: string; agentId: string } & Ref)
  | ({ type: 'monitor.stop'; supervisorId: string; agentId: string } & Ref)
  | ({ type: 'takeover'; supervisorId: string; conversationId: string } & Ref)
  | { type: 'settings.update'; settings: Partial<RouterSettings> }
  | { type: 'day.rollover'; dayKey: string }
  | RouterTimerEvent;

/** Synthetic event handled on start: tells restored queues their positions, publishes widgets. */
export type RouterStartEvent = { type: 'router.start' };
