// A visitor on the company's site (D7): browsing → invited → chatting → left.
// `visitor:<company>:<visitor>`. The runtime supplies the clock (`at` on page views)
// for rule expiry; timers are named delays.
import { assign, setup } from 'xstate';
import type { Scope } from '../routing/types.js';
import { countInvite, emptyCounters, greeting, newPage, nextInvite, type InviteCounters, type InviteRule } from './auto-invite.js';

export interface VisitorInput {
  companyId: string;
  visitorId: string;
  /** From IP lookup, for the greeting. */
  region: string | null;
  rules: InviteRule[];
}

export interface PendingInvite {
  ruleId: string | null;
  kind: 'popup' | 'chat';
  greeting: string;
  scope: Scope | null;
  invitedBy: string | null;
  displayMs: number;
  waitMs: number;
}

export interface VisitorContext extends VisitorInput {
  counters: InviteCounters;
  now: number;
  pending: PendingInvite | null;
}

export type VisitorEvent =
  | { type: 'page.view'; url: string; at: number }
  | { type: 'agent.invite'; agentId: string; kind: 'popup' | 'chat'; greeting: string }
  | { type: 'invite.accept' }
  | { type: 'invite.decline' }
  | { type: 'chat.started'; conversationId: string }
  | { type: 'chat.ended'; conversationId: string }
  | { type: 'visitor.leave' };

export interface ShowInviteParams { visitorId: string; ruleId: string | null; kind: 'popup' | 'chat'; greeting: string; invitedBy: string | null }
export interface RequestChatParams { visitorId: string; scope: Scope; ruleId: string | null; invitedBy: string | null }

/** Plan the next automatic invitation from the rules, or none. */
function plan(c: Pick<VisitorContext, 'rules' | 'counters' | 'now' | 'region'>): PendingInvite | null {
  const next = nextInvite(c.rules, c.counters, c.now);
  if (!next) return null;
  return {
    ruleId: next.rule.id, kind: next.rule.kind, greeting: greeting(next.rule, c.region), scope: next.rule.scope,
    invitedBy: null, displayMs: next.rule.displayMs, waitMs: next.waitMs,
  };
}

const MAX_DELAY = 2_147_483_647;

export const visitorMachine = setup({
  types: { context: {} as VisitorContext, input: {} as VisitorInput, events: {} as VisitorEvent },
  actions: {
    showInvite: (_: unknown, _p: ShowInviteParams) => {},
    hideInvite: (_: unknown, _p: { visitorId: string }) => {},
    requestChat: (_: unknown, _p: RequestChatParams) => {},
  },
  guards: {
    autoInvitePlanned: ({ context }) => context.pending !== null && context.pending.invitedBy === null,
  },
  delays: {
    inviteWait: ({ context }) => context.pending?.waitMs ?? MAX_DELAY,
    inviteDisplay: ({ context }) => context.pending?.displayMs ?? MAX_DELAY,
  },
}).createMachine({
  id: 'visitor',
  context: ({ input }) => ({ ...input, counters: emptyCounters(), now: 0, pending: null }),
  initial: 'browsing',
  on: { 'visitor.leave': '.left' },
  states: {
    browsing: {
      entry: assign(({ context }) => ({ pending: plan(context) })),
      on: {
        'page.view': { target: 'browsing', reenter: true, actions: assign(({ context, event }) => ({ now: event.at, counters: newPage(context.counters) })) },
        'agent.invite': {
          target: 'invited',
          actions: assign(({ event }) => ({ pending: { ruleId: null, kind: event.kind, greeting: event.greeting, scope: { kind: 'agent' as const, agentId: event.agentId }, invitedBy: event.agentId, displayMs: MAX_DELAY, waitMs: 0 } })),
        },
        'chat.started': 'chatting',
      },
      after: { inviteWait: { guard: 'autoInvitePlanned', target: 'invited' } },
    },
    invited: {
      entry: [
        assign(({ context }) => {
          const rule = context.rules.find((r) => r.id === context.pending?.ruleId);
          return rule ? { counters: countInvite(rule, context.counters) } : {};
        }),
        { type: 'showInvite', params: ({ context }) => ({ visitorId: context.visitorId, ruleId: context.pending!.ruleId, kind: context.pending!.kind, greeting: context.pending!.greeting, invitedBy: context.pending!.invitedBy }) },
      ],
      exit: { type: 'hideInvite', params: ({ context }) => ({ visitorId: context.visitorId }) },
      on: {
        'invite.accept': {
          target: 'chatting',
          actions: { type: 'requestChat', params: ({ context }) => ({ visitorId: context.visitorId, scope: context.pending!.scope ?? { kind: 'company' }, ruleId: context.pending!.ruleId, invitedBy: context.pending!.invitedBy }) },
        },
        'invite.decline': {
          target: 'browsing',
          actions: assign(({ context }) => ({ counters: context.pending?.ruleId ? { ...context.counters, declined: [...context.counters.declined, context.pending.ruleId] } : context.counters })),
        },
        'page.view': { target: 'browsing', actions: assign(({ context, event }) => ({ now: event.at, counters: newPage(context.counters) })) },
        'chat.started': 'chatting',
      },
      // Ignored for its display time: counts as shown; the next repeat waits intervalMs.
      after: { inviteDisplay: 'browsing' },
    },
    chatting: {
      on: { 'chat.ended': 'browsing', 'page.view': { actions: assign({ now: ({ event }) => event.at }) } },
    },
    left: { type: 'final' },
  },
});
