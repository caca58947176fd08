// Public API of the pure machines. server/src/runtime wires the named actions with .provide().
export { routerMachine, initialRouterContext } from './routing/router.machine.js';
export { reduce as routerStep, transferTargets, canSee } from './routing/router-core.js';
export { restoreRouterInput, type StoredConversation, type StoredRouterState } from './routing/restore.js';
export type { RouterContext, RouterEvent, RouterInput } from './routing/router-types.js';
export type * from './routing/effects.js';
export * from './routing/types.js';
export { chooseAgent, eligibleAgents, isAssignable, load, nextAssignment } from './routing/assign.js';
export { enqueue, enqueueHead, positions, remove as removeFromQueue, type Position, type Queues } from './routing/queue.js';
export { inScope, widgetState, widgetStates, widgetChanges } from './routing/widget.js';

export { agentMachine, allowedStatuses, type AgentContext, type AgentEvent, type AgentInput, type ChosenStatus, type ReportPresenceParams } from './agent/agent.machine.js';

export {
  conversationMachine, conversationState,
  type Audience, type AutoReplyConfig, type ConversationContext, type ConversationEndedParams, type ConversationEvent,
  type ConversationInput, type MessageKind, type PersistMessageParams, type ShareHistoryParams, type SystemTexts,
} from './conversation/conversation.machine.js';

export {
  visitorMachine,
  type PendingInvite, type RequestChatParams, type ShowInviteParams, type VisitorContext, type VisitorEvent, type VisitorInput,
} from './visitor/visitor.machine.js';
export { countInvite, emptyCounters, greeting, nextInvite, type InviteCounters, type InviteRule } from './visitor/auto-invite.js';
