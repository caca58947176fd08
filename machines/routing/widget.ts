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

export function widgetStates(agents: ReadonlyArray<RoutedAgent>): Record<ScopeKey, WidgetState> {
  const out: Record<ScopeKey, WidgetState> = {};
  for (const scope of widgetScopes(agents)) {
    out[scope] = widgetState(agents.filter((a) => inScope(a, scope)));
  }
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
