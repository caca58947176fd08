// Company router (D1–D4): the single writer of queue and assignment for one company.
// systemId `router:<companyId>`. All decisions live in router-core.ts (pure); this
// machine turns the returned effects into named actions and delayed self-events.
import { enqueueActions, setup } from 'xstate';
import type {
  MonitorChangedParams, NotifyAgentParams, NotifyConversationParams, NotifyVisitorParams, PersistAssignmentParams,
  PersistRequeueParams, QueueChangedParams, RouterEffect, RoutingFact, TimerDelay, WidgetStateChangedParams,
} from './effects.js';
import { reduce } from './router-core.js';
import type { RouterContext, RouterEvent, RouterInput, RouterStartEvent } from './router-types.js';
import type { RejectParams } from './types.js';
import { enqueue } from './queue.js';

/** Build the initial context; also used by restoreRouterInput() after a restart. */
export function initialRouterContext(input: RouterInput): RouterContext {
  const ctx: RouterContext = {
    companyId: input.companyId, settings: { ...input.settings }, dayKey: input.dayKey, clock: 1,
    agents: {}, chats: {}, queues: {}, told: {}, widget: {}, monitors: {}, nextTicket: 1,
  };
  for (const a of input.agents) ctx.agents[a.id] = structuredClone(a);
  for (const c of input.chats) {
    ctx.chats[c.id] = structuredClone(c);
    ctx.nextTicket = Math.max(ctx.nextTicket, c.ticket + 1);
    if (c.phase === 'queued') ctx.queues = enqueue(ctx.queues, c.scope, c.id);
  }
  return ctx;
}

// Default implementations do nothing: the runtime provides real ones with .provide().
const noop = () => {};

export const routerMachine = setup({
  types: {
    context: {} as RouterContext,
    input: {} as RouterInput,
    events: {} as RouterEvent,
  },
  actions: {
    persistAssignment: (_: unknown, _p: PersistAssignmentParams) => noop(),
    persistRequeue: (_: unknown, _p: PersistRequeueParams) => noop(),
    notifyVisitor: (_: unknown, _p: NotifyVisitorParams) => noop(),
    notifyAgent: (_: unknown, _p: NotifyAgentParams) => noop(),
    notifyConversation: (_: unknown, _p: NotifyConversationParams) => noop(),
    queueChanged: (_: unknown, _p: QueueChangedParams) => noop(),
    widgetStateChanged: (_: unknown, _p: WidgetStateChangedParams) => noop(),
    monitorChanged: (_: unknown, _p: MonitorChangedParams) => noop(),
    recordAnalytics: (_: unknown, _p: RoutingFact) => noop(),
    reject: (_: unknown, _p: RejectParams) => noop(),
  },
  delays: {
    offerTimeout: ({ context }) => context.settings.offerTimeoutMs,
    preferLastWait: ({ context }) => context.settings.preferLastAgentMs,
    transferTimeout: ({ context }) => context.settings.transferTimeoutMs,
  },
}).createMachine({
  id: 'router',
  context: ({ input }) => initialRouterContext(input),
  entry: enqueueActions(({ context, enqueue }) => apply(context, reduce(context, { type: 'router.start' } satisfies RouterStartEvent), enqueue)),
  on: {
    '*': {
      actions: enqueueActions(({ context, event, enqueue }) => apply(context, reduce(context, event), enqueue)),
    },
  },
});

/** The slice of XState's `enqueue` that apply() uses. */
interface EffectSink {
  (action: Exclude<RouterEffect, { type: 'startTimer' | 'cancelTimer' }>): void;
  assign(f: () => RouterContext): void;
  raise(event: RouterEvent, options: { delay: TimerDelay; id: string }): void;
  cancel(id: string): void;
}

function apply(before: RouterContext, step: { context: RouterContext; effects: RouterEffect[] }, enqueue: EffectSink): void {
  if (step.context !== before) enqueue.assign(() => step.context); // a rejection leaves the context untouched
  for (const fx of step.effects) {
    if (fx.type === 'startTimer') enqueue.raise(fx.params.event, { delay: fx.params.delay, id: fx.params.id });
    else if (fx.type === 'cancelTimer') enqueue.cancel(fx.params.id);
    else enqueue(fx);
  }
}
