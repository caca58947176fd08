// Test harness: a router actor on a SimulatedClock whose named actions record their params.
import { createActor, SimulatedClock } from 'xstate';
import { routerMachine } from '../../../machines/routing/router.machine.js';
import type { RouterEvent, RouterInput } from '../../../machines/routing/router-types.js';
import type { RouterEffect } from '../../../machines/routing/effects.js';
import { DEFAULT_ROUTER_SETTINGS, type AgentProfile, type RouterSettings } from '../../../machines/routing/types.js';

export type Recorded = Exclude<RouterEffect, { type: 'startTimer' | 'cancelTimer' }>;

const NAMES = ['persistAssignment', 'persistRequeue', 'notifyVisitor', 'notifyAgent', 'notifyConversation', 'queueChanged',
  'widgetStateChanged', 'monitorChanged', 'recordAnalytics', 'reject'] as const;

export function profile(id: string, over: Partial<AgentProfile> = {}): AgentProfile {
  return { id, name: id.toUpperCase(), groups: [], canAccept: true, canMonitor: false, isAdmin: false, cap: 3, autoAccept: true, ...over };
}

export function startRouter(opts: { settings?: Partial<RouterSettings>; input?: Partial<RouterInput> } = {}) {
  const clock = new SimulatedClock();
  const log: Recorded[] = [];
  const actions = Object.fromEntries(NAMES.map((n) => [n, (_: unknown, params: any) => { log.push({ type: n, params } as Recorded); }]));
  const machine = routerMachine.provide({ actions: actions as any });
  const actor = createActor(machine, {
    clock,
    input: {
      companyId: 'co1', settings: { ...DEFAULT_ROUTER_SETTINGS, ...opts.settings }, dayKey: '2025-01-01', agents: [], chats: [],
      ...opts.input,
    },
  });
  actor.start();
  return {
    actor, clock, log,
    send(e: RouterEvent) { actor.send(e); },
    /** Drain and return effects recorded since the last call. */
    take(): Recorded[] { return log.splice(0, log.length); },
    ctx() { return actor.getSnapshot().context; },
    online(id: string, over: Partial<AgentProfile> = {}) {
      actor.send({ type: 'agent.upsert', profile: profile(id, over) });
      actor.send({ type: 'agent.presence', agentId: id, status: 'online', connected: true });
    },
  };
}

export const ofType = <T extends Recorded['type']>(log: Recorded[], t: T) =>
  log.filter((e): e is Extract<Recorded, { type: T }> => e.type === t).map((e) => e.params as Extract<Recorded, { type: T }>['params']);
