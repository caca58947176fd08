// Assignment decisions (D3). Pure: given the agents and one queued chat, who gets it?
import type { RoutedAgent, RoutedChat, RoutingMode } from './types.js';
import { inScope } from './widget.js';

/** Concurrent load: owned chats plus offers and incoming transfers not yet answered. */
export function load(agent: Pick<RoutedAgent, 'chats' | 'reserved'>): number {
  return agent.chats.length + agent.reserved.length;
}

/**
 * May the router auto-assign (or offer) anything to this agent right now?
 * Only online (not busy, away, invisible or offline), connected (not in reconnect grace),
 * allowed to accept, and under cap.
 */
export function isAssignable(agent: RoutedAgent): boolean {
  return agent.status === 'online' && agent.connected && agent.canAccept && load(agent) < agent.cap;
}

/** Agents who may auto-receive this particular chat. */
export function eligibleAgents(agents: readonly RoutedAgent[], chat: RoutedChat): RoutedAgent[] {
  return agents.filter((a) => isAssignable(a) && inScope(a, chat.scope) && !chat.declinedBy.includes(a.id));
}

/**
 * Sort key: service = fewest concurrent chats; sales = fewest accepted today (offers
 * still pending count, so a burst of requests cannot all land on one agent).
 */
export function score(agent: RoutedAgent, mode: RoutingMode): number {
  return mode === 'service' ? load(agent) : agent.acceptedToday + agent.reserved.length;
}

/** Ties go to the agent idle longest (smallest idleSince), then by id for determinism. */
export function compareAgents(mode: RoutingMode) {
  return (a: RoutedAgent, b: RoutedAgent): number =>
    score(a, mode) - score(b, mode) || a.idleSince - b.idleSince || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The agent who gets `chat`, or null. A preferred agent who is eligible always wins;
 * while the chat is holding for that agent nobody else gets it.
 */
export function chooseAgent(agents: readonly RoutedAgent[], chat: RoutedChat, mode: RoutingMode): RoutedAgent | null {
  const eligible = eligibleAgents(agents, chat);
  if (chat.preferredAgentId !== null) {
    const preferred = eligible.find((a) => a.id === chat.preferredAgentId);
    if (preferred) return preferred;
    if (chat.holding) return null;
  }
  if (eligible.length === 0) return null;
  return [...eligible].sort(compareAgents(mode))[0] ?? null;
}

/**
 * Next (chat, agent) pair to assign, or null. Within a scope chats go in queue order,
 * skipping only a chat held for its preferred agent; across scopes the lowest ticket
 * (oldest request) among each scope's first assignable chat goes first.
 */
export function nextAssignment(
  agents: readonly RoutedAgent[],
  queues: Readonly<Record<string, readonly string[]>>,
  chats: Readonly<Record<string, RoutedChat>>,
  mode: RoutingMode,
): { chat: RoutedChat; agent: RoutedAgent } | null {
  let best: { chat: RoutedChat; agent: RoutedAgent } | null = null;
  for (const scope of Object.keys(queues).sort()) {
    for (const id of queues[scope] ?? []) {
      const chat = chats[id];
      if (!chat) continue;
      const agent = chooseAgent(agents, chat, mode);
      if (agent) {
        if (!best || chat.ticket < best.chat.ticket) best = { chat, agent };
        break;
      }
      // A held chat may be skipped; anything else blocks the scope (same eligible set).
      if (!chat.holding && !(chat.declinedBy.length > 0)) break;
    }
  }
  return best;
}
