// Agent presence (B1, B2): one actor per agent (`agent:<company>:<agent>`), shared by
// all of the agent's tabs. Reports presence to the router through `reportPresence`.
import { assign, setup } from 'xstate';
import { ErrorCode, type AgentStatus } from '../../protocol/codes.js';
import type { RejectParams } from '../routing/types.js';

export type ChosenStatus = 'online' | 'busy' | 'away' | 'invisible';

export interface AgentInput {
  companyId: string;
  agentId: string;
  canAccept: boolean;
  isAdmin: boolean;
  /** Auto-away after this long without activity; 0 disables it. */
  idleAwayMs: number;
  /** How long a dropped agent keeps its status and chats before counting as offline. */
  graceMs: number;
  /** After a server restart: start in grace with this status, as if all sockets just dropped. */
  restoreStatus?: ChosenStatus | null;
}

export interface AgentContext extends Omit<AgentInput, 'restoreStatus'> {
  status: ChosenStatus;
  sockets: number;
  /** Set when the idle timer, not the agent, made the agent away. */
  autoAway: boolean;
  restore: boolean;
}

type Ref = { ref?: string };
export type AgentEvent =
  | { type: 'socket.open' }
  | { type: 'socket.close' }
  | { type: 'activity' }
  | ({ type: 'status.set'; status: AgentStatus } & Ref)
  | { type: 'permissions.set'; canAccept: boolean; isAdmin: boolean }
  /** the company's auto-away setting changed */
  | { type: 'idle.set'; idleAwayMs: number };

export interface ReportPresenceParams {
  agentId: string;
  status: AgentStatus;
  /** False during the reconnect grace: the router keeps the agent's chats but assigns nothing new. */
  connected: boolean;
  sockets: number;
  autoAway: boolean;
}

/** Statuses this agent may choose: without accept permission only away; invisible is for admins. */
export function allowedStatuses(ctx: Pick<AgentContext, 'canAccept' | 'isAdmin'>): AgentStatus[] {
  if (!ctx.canAccept) return ['away', 'offline'];
  return ctx.isAdmin ? ['online', 'busy', 'away', 'invisible', 'offline'] : ['online', 'busy', 'away', 'offline'];
}

const presence = (status: AgentStatus, connected: boolean) =>
  ({ context }: { context: AgentContext }): ReportPresenceParams =>
    ({ agentId: context.agentId, status, connected, sockets: context.sockets, autoAway: context.autoAway });

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    input: {} as AgentInput,
    events: {} as AgentEvent,
  },
  actions: {
    reportPresence: (_: unknown, _p: ReportPresenceParams) => {},
    reject: (_: unknown, _p: RejectParams) => {},
    /** Losing a permission drops the remembered status to away rather than keeping a forbidden one. */
    applyPermissions: assign(({ context, event }) => {
      if (event.type !== 'permissions.set') return {};
      const next = { canAccept: event.canAccept, isAdmin: event.isAdmin };
      return allowedStatuses(next).includes(context.status) ? next : { ...next, status: 'away' as const };
    }),
  },
  guards: {
    /** The event asks for `status` and this agent may choose it. */
    mayChoose: ({ context, event }, p: { status: ChosenStatus }) =>
      event.type === 'status.set' && event.status === p.status && allowedStatuses(context).includes(p.status),
    autoAwayEnabled: ({ context }) => context.idleAwayMs > 0,
    lastSocket: ({ context }) => context.sockets <= 1,
    restoring: ({ context }) => context.restore,
  },
  delays: {
    idleAway: ({ context }) => context.idleAwayMs,
    grace: ({ context }) => context.graceMs,
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    companyId: input.companyId, agentId: input.agentId, canAccept: input.canAccept, isAdmin: input.isAdmin,
    idleAwayMs: input.idleAwayMs, graceMs: input.graceMs,
    status: input.restoreStatus ?? (input.canAccept ? 'online' : 'away'),
    sockets: 0, autoAway: false, restore: Boolean(input.restoreStatus),
  }),
  initial: 'boot',
  on: {
    'permissions.set': { actions: 'applyPermissions' },
    'idle.set': { actions: assign({ idleAwayMs: ({ event }) => event.idleAwayMs }) },
    'status.set': {
      actions: {
        type: 'reject',
        params: ({ context, event }) => ({
          target: { kind: 'agent', agentId: context.agentId }, code: ErrorCode.NotAllowedNow,
          message: 'not connected', ...(event.ref !== undefined ? { ref: event.ref } : {}),
        }),
      },
    },
  },
  states: {
    boot: {
      always: [{ guard: 'restoring', target: 'grace', actions: assign({ restore: false }) }, { target: 'offline' }],
    },
    offline: {
      entry: { type: 'reportPresence', params: presence('offline', false) },
      on: {
        'socket.open': {
          target: 'present',
          // Coming back picks the last chosen status if still allowed, else the default.
          actions: assign(({ context }) => ({
            sockets: 1, autoAway: false,
            status: allowedStatuses(context).includes(context.status) ? context.status : context.canAccept ? 'online' : 'away',
          })),
        },
      },
    },
    present: {
      initial: 'resume',
      on: {
        'socket.open': { actions: assign({ sockets: ({ context }) => context.sockets + 1 }) },
        'socket.close': [
          { guard: 'lastSocket', target: 'grace', actions: assign({ sockets: 0 }) },
          { actions: assign({ sockets: ({ context }) => context.sockets - 1 }) },
        ],
        'status.set': [
          { guard: { type: 'mayChoose', params: { status: 'online' } }, target: '.online', actions: assign({ status: 'online', autoAway: false }) },
          { guard: { type: 'mayChoose', params: { status: 'busy' } }, target: '.busy', actions: assign({ status: 'busy', autoAway: false }) },
          { guard: { type: 'mayChoose', params: { status: 'away' } }, target: '.away', actions: assign({ status: 'away', autoAway: false }) },
          { guard: { type: 'mayChoose', params: { status: 'invisible' } }, target: '.invisible', actions: assign({ status: 'invisible', autoAway: false }) },
          // Choosing offline is signing out: the runtime closes the agent's sockets.
          { guard: ({ event }) => event.status === 'offline', target: 'offline', actions: assign({ sockets: 0 }) },
          {
            actions: {
              type: 'reject',
              params: ({ context, event }) => ({
                target: { kind: 'agent', agentId: context.agentId }, code: ErrorCode.Forbidden,
                message: `status ${event.status} not allowed`, ...(event.ref !== undefined ? { ref: event.ref } : {}),
              }),
            },
          },
        ],
        'permissions.set': {
          // Losing a permission drops the agent to away rather than leaving it in a forbidden status.
          target: '.resume',
          actions: 'applyPermissions',
        },
        // A new idle time starts counting now.
        'idle.set': { target: '.resume', actions: assign({ idleAwayMs: ({ event }) => event.idleAwayMs }) },
      },
      states: {
        resume: {
          always: [
            { guard: ({ context }) => context.status === 'online', target: 'online' },
            { guard: ({ context }) => context.status === 'busy', target: 'busy' },
            { guard: ({ context }) => context.status === 'invisible', target: 'invisible' },
            { target: 'away' },
          ],
        },
        online: {
          entry: { type: 'reportPresence', params: presence('online', true) },
          on: { activity: { target: 'online', reenter: true } },
          after: { idleAway: { guard: 'autoAwayEnabled', target: 'away', actions: assign({ status: 'away', autoAway: true }) } },
        },
        busy: {
          entry: { type: 'reportPresence', params: presence('busy', true) },
          on: { activity: { target: 'busy', reenter: true } },
          after: { idleAway: { guard: 'autoAwayEnabled', target: 'away', actions: assign({ status: 'away', autoAway: true }) } },
        },
        away: { entry: { type: 'reportPresence', params: presence('away', true) } },
        invisible: { entry: { type: 'reportPresence', params: presence('invisible', true) } },
      },
    },
    grace: {
      // Status and chats stay; the router assigns nothing new while disconnected.
      entry: { type: 'reportPresence', params: ({ context }) => presence(context.status, false)({ context }) },
      after: { grace: { target: 'offline' } },
      on: {
        'socket.open': { target: 'present', actions: assign({ sockets: 1 }) },
        'permissions.set': {
          actions: ['applyPermissions', { type: 'reportPresence', params: ({ context }) => presence(context.status, false)({ context }) }],
        },
      },
    },
  },
});
