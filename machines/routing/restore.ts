// Rebuild router input from database rows after a restart (the router is in-memory).
import type { RouterInput } from './router-types.js';
import type { AgentProfile, RoutedChat, RouterSettings, Scope } from './types.js';
import { scopeKey } from './types.js';

export interface StoredConversation {
  id: string;
  visitorId: string;
  state: 'queued' | 'active' | 'transferring';
  agentId: string | null;
  scope: Scope;
  /** Epoch ms; queued chats are restored in this order. */
  createdAt: number;
}

export interface StoredRouterState {
  companyId: string;
  settings: RouterSettings;
  /** Company-local day key for `now`, computed by the runtime in the company time zone. */
  dayKey: string;
  agents: AgentProfile[];
  /** Chats each agent accepted during `dayKey` (sales mode). */
  acceptedToday: Record<string, number>;
  conversations: StoredConversation[];
}

/**
 * Every agent starts offline-but-owning its chats; agent actors restored in grace
 * (AgentInput.restoreStatus) then report presence, and only an agent who does not come
 * back within the grace loses its chats. A transfer pending at the crash is dropped
 * (the chat stays with its owner). An active chat whose agent no longer exists is requeued.
 */
export function restoreRouterInput(s: StoredRouterState): RouterInput {
  const agents = new Map(s.agents.map((p, i) => [p.id, {
    ...p, status: 'offline' as const, connected: false, chats: [] as string[], reserved: [] as string[],
    acceptedToday: s.acceptedToday[p.id] ?? 0, idleSince: i,
  }]));
  const chats: RoutedChat[] = [];
  const ordered = [...s.conversations].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  ordered.forEach((c, i) => {
    const owner = c.state !== 'queued' && c.agentId !== null ? agents.get(c.agentId) : undefined;
    if (owner) owner.chats.push(c.id);
    chats.push({
      id: c.id, visitorId: c.visitorId, scope: scopeKey(c.scope), ticket: i + 1,
      phase: owner ? 'active' : 'queued', agentId: owner ? owner.id : null, pendingAgentId: null,
      preferredAgentId: null, holding: false, declinedBy: [],
    });
  });
  return { companyId: s.companyId, settings: s.settings, dayKey: s.dayKey, agents: [...agents.values()], chats };
}
