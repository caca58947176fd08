// Widget state per scope (B1): online while any agent in scope is online; busy when
// every present (online or busy) agent is busy; offline when all are away/offline.
// Invisible agents are not seen by visitors, so they never make a widget online.
import type { RoutedAgent, ScopeKey, WidgetState } from './types.js';
import { parseScopeKey } from './types.js';

type ScopeMember = Pick<RoutedAgent, 'id' | 'groups' | 'canAccept'>;

export function inScope(agent: ScopeMember, scope: ScopeKey): boolean {
  const s = parseScopeKey(scope);
  switch (s.kind) {
    case 'company': return true;
    case 'group': return agent.groups.includes(s.groupId);
    case 'agent': return agent.id === s.agentId;
  }
}

export function widgetState(agents: ReadonlyArray<Pick<RoutedAgent, 'status'>>): WidgetState {
  let busy = false;
  for (const a of agents) {
    if (a.status === 'online') return 'online';
    if (a.status === 'busy') busy = true;
  }
  return busy ? 'busy' : 'offline';
}

/** Scopes whose widget state the router tracks: the company, every group, every agent. */
export function widgetScopes(agents: ReadonlyArray<ScopeMember>): ScopeKey[] {
  const keys = new Set<ScopeKey>(['company']);
  for (const a of agents) {
    for (const g of a.groups) keys.add(`group:${g}`);
    keys.add(`agent:${a.id}`);
  }
  return [...keys].sort();
}

const RANK: Record<WidgetState, number> = { offline: 0, busy: 1, online: 2 };

/**
 * widgetState() of every scope in widgetScopes(), in one pass over the agents
 * (the router runs this after every event, so it must not be agents × scopes).
 */
export function widgetStates(agents: ReadonlyArray<RoutedAgent>): Record<ScopeKey, WidgetState> {
  const acc = new Map<ScopeKey, WidgetState>([['company', 'offline']]);
  for (const a of agents) {
    const s: WidgetState = a.status === 'online' ? 'online' : a.status === 'busy' ? 'busy' : 'offline';
    const raise = (scope: ScopeKey) => { const cur = acc.get(scope); if (cur === undefined || RANK[s] > RANK[cur]) acc.set(scope, s); };
    raise('company');
    for (const g of a.groups) raise(`group:${g}`);
    raise(`agent:${a.id}`);
  }
  const out: Record<ScopeKey, WidgetState> = {};
  for (const scope of [...acc.keys()].sort()) out[scope] = acc.get(scope)!;
  return out;
}

/** Scopes whose state differs between two maps (a scope missing from `after` is offline). */
export function widgetChanges(
  before: Readonly<Record<ScopeKey, WidgetState>>,
  after: Readonly<Record<ScopeKey, WidgetState>>,
): Array<{ scope: ScopeKey; state: WidgetState }> {
  const out: Array<{ scope: ScopeKey; state: WidgetState }> = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const scope of [...keys].sort()) {
    const b = before[scope] ?? 'offline';
    const a = after[scope] ?? 'offline';
    if (a !== b) out.push({ scope, state: a });
  }
  return out;
}
