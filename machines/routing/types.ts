// Shared routing vocabulary: scopes, agent profiles, router settings, effect payloads.
import type { AgentStatus, ErrorCode, WidgetState } from '../../protocol/codes.js';

/** Where a chat request may be served: whole company, one group, or one bound agent. */
export type Scope =
  | { kind: 'company' }
  | { kind: 'group'; groupId: string }
  | { kind: 'agent'; agentId: string };

/** String form of a Scope, used as a map key: `company`, `group:<id>`, `agent:<id>`. */
export type ScopeKey = string;

export function scopeKey(scope: Scope): ScopeKey {
  switch (scope.kind) {
    case 'company': return 'company';
    case 'group': return `group:${scope.groupId}`;
    case 'agent': return `agent:${scope.agentId}`;
  }
}

export function parseScopeKey(key: ScopeKey): Scope {
  if (key.startsWith('group:')) return { kind: 'group', groupId: key.slice(6) };
  if (key.startsWith('agent:')) return { kind: 'agent', agentId: key.slice(6) };
  return { kind: 'company' };
}

/** service = fewest current chats wins; sales = fewest chats accepted today wins. */
export type RoutingMode = 'service' | 'sales';

export interface RouterSettings {
  autoAssign: boolean;
  mode: RoutingMode;
  /** Hold a returning visitor's chat for the agent of their last chat. */
  preferLastAgent: boolean;
  preferLastAgentMs: number;
  /** How long an offered chat waits for its agent (agents without auto-accept). */
  offerTimeoutMs: number;
  transferTimeoutMs: number;
}

export const DEFAULT_ROUTER_SETTINGS: RouterSettings = {
  autoAssign: true,
  mode: 'service',
  preferLastAgent: false,
  preferLastAgentMs: 10_000,
  offerTimeoutMs: 30_000,
  transferTimeoutMs: 60_000,
};

/** What the account store knows about an agent; changed by admins, not by the agent's presence. */
export interface AgentProfile {
  id: string;
  name: string;
  groups: string[];
  /** Permission to accept chats; without it the agent can only be away. */
  canAccept: boolean;
  canMonitor: boolean;
  isAdmin: boolean;
  /** Maximum concurrent chats (active + offered + incoming transfers). */
  cap: number;
  /** When false, an auto-assigned chat is offered and must be accepted within offerTimeoutMs. */
  autoAccept: boolean;
}

/** Presence as reported by the agent actor. `connected` is false during the reconnect grace. */
export interface AgentPresence {
  status: AgentStatus;
  connected: boolean;
}

/** Everything the router needs to know about one agent. */
export interface RoutedAgent extends AgentProfile, AgentPresence {
  /** Conversations the agent currently owns. */
  chats: string[];
  /** Conversations offered to or being transferred to the agent, not yet accepted. */
  reserved: string[];
  /** Chats accepted during the company's current day (see RouterContext.dayKey). */
  acceptedToday: number;
  /** Logical time (router clock) since when the agent has been idle: last assignment or coming online. */
  idleSince: number;
}

export type ChatPhase = 'queued' | 'offered' | 'active' | 'transferring';

export interface RoutedChat {
  id: string;
  visitorId: string;
  scope: ScopeKey;
  /** Logical arrival order; kept on requeue so a returning chat keeps its seniority. */
  ticket: number;
  phase: ChatPhase;
  agentId: string | null;
  /** Offer target (phase offered) or transfer target (phase transferring). */
  pendingAgentId: string | null;
  preferredAgentId: string | null;
  /** True while the chat waits for its preferred agent only. */
  holding: boolean;
  /** Agents who declined or let the offer time out; not offered this chat again. */
  declinedBy: string[];
}

/** Who receives a rejection. */
export type RejectTarget = { kind: 'agent'; agentId: string } | { kind: 'visitor'; visitorId: string };

export interface RejectParams {
  target: RejectTarget;
  code: ErrorCode;
  message: string;
  ref?: string;
}

export type { AgentStatus, WidgetState };
