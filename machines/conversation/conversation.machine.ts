// One chat (D5, D6, D8, D9): `conversation:<id>`. queued → live(active ⇄ transferring) → ended.
// Assignment changes come from the router (RoutingToConversation events, forwarded by
// the runtime); this machine owns system texts, auto-reply, who sees which message
// (visitor, agent, monitoring supervisors, whispers) and the end of the chat.
import { assign, cancel, enqueueActions, raise, setup } from 'xstate';
import { ErrorCode, type ConversationState, type SenderKind } from '../../protocol/codes.js';
import type { RoutingToConversation } from '../routing/effects.js';
import type { RejectParams } from '../routing/types.js';

export interface SystemTexts { welcome: string; waiting: string; busy: string; closing: string }
/** Per-agent auto-reply (B4): after `afterMs` without an agent reply, at most `maxTimes` per chat. */
export interface AutoReplyConfig { text: string; afterMs: number; maxTimes: number }

export interface ConversationInput {
  companyId: string;
  conversationId: string;
  visitorId: string;
  texts: SystemTexts;
  /** Keyed by agent id; the runtime picks the text for the visitor's language. */
  autoReplies: Record<string, AutoReplyConfig>;
  visitorGraceMs: number;
}

export interface ConversationContext extends ConversationInput {
  agentId: string | null;
  agentName: string | null;
  watchers: string[];
  transferTo: string | null;
  autoRepliesSent: number;
}

type Ref = { ref?: string };
export type ConversationEvent =
  | RoutingToConversation
  | { type: 'visitor.message'; text: string; clientMsgId: string | null }
  | ({ type: 'agent.message'; agentId: string; text: string; clientMsgId: string | null } & Ref)
  | ({ type: 'whisper'; supervisorId: string; text: string; clientMsgId: string | null } & Ref)
  | { type: 'visitor.end' }
  | ({ type: 'agent.end'; agentId: string } & Ref)
  | { type: 'visitor.disconnected' }
  | { type: 'visitor.reconnected' }
  | { type: 'visitor.gone' }
  | { type: 'autoReply.configure'; agentId: string; config: AutoReplyConfig | null };

/** Who receives a message: the visitor or not, and which console users (agent + supervisors). */
export interface Audience { visitor: boolean; agentIds: string[] }

export type MessageKind = 'chat' | 'whisper' | 'welcome' | 'waiting' | 'busy' | 'closing' | 'autoReply';

export interface PersistMessageParams {
  conversationId: string;
  sender: SenderKind;
  senderId: string | null;
  text: string;
  clientMsgId: string | null;
  kind: MessageKind;
  audience: Audience;
}

export interface ConversationEndedParams { conversationId: string; by: 'visitor' | 'agent' | 'system'; agentId: string | null }
export interface ShareHistoryParams { conversationId: string; agentId: string }

const consoleAudience = (c: ConversationContext): string[] =>
  [...new Set([...(c.agentId ? [c.agentId] : []), ...c.watchers])];
const everyone = (c: ConversationContext): Audience => ({ visitor: true, agentIds: consoleAudience(c) });

type SystemKind = keyof SystemTexts;
const systemText = (kind: SystemKind) =>
  ({ context }: { context: ConversationContext }): PersistMessageParams => ({
    conversationId: context.conversationId, sender: 'system', senderId: null, text: context.texts[kind],
    clientMsgId: null, kind, audience: everyone(context),
  });

const visitorMessage = ({ context, event }: { context: ConversationContext; event: ConversationEvent }): PersistMessageParams => ({
  conversationId: context.conversationId, sender: 'visitor', senderId: context.visitorId,
  text: event.type === 'visitor.message' ? event.text : '', clientMsgId: event.type === 'visitor.message' ? event.clientMsgId : null,
  kind: 'chat', audience: everyone(context),
});

const agentMessage = ({ context, event }: { context: ConversationContext; event: ConversationEvent }): PersistMessageParams => ({
  conversationId: context.conversationId, sender: 'agent', senderId: event.type === 'agent.message' ? event.agentId : null,
  text: event.type === 'agent.message' ? event.text : '', clientMsgId: event.type === 'agent.message' ? event.clientMsgId : null,
  kind: 'chat', audience: everyone(context),
});

/** Empty texts are switched off in company settings and not sent. */
const hasText = (c: ConversationContext, kind: SystemKind): boolean => c.texts[kind].trim().length > 0;

const rejectTo = (agentId: string, code: ErrorCode, message: string, ref?: string): RejectParams =>
  ({ target: { kind: 'agent', agentId }, code, message, ...(ref !== undefined ? { ref } : {}) });
const notYours = ({ event }: { event: ConversationEvent }): RejectParams =>
  rejectTo(event.type === 'agent.message' ? event.agentId : '', ErrorCode.Forbidden, 'not your conversation', event.type === 'agent.message' ? event.ref : undefined);

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    input: {} as ConversationInput,
    events: {} as ConversationEvent,
  },
  actions: {
    persistMessage: (_: unknown, _p: PersistMessageParams) => {},
    shareHistory: (_: unknown, _p: ShareHistoryParams) => {},
    conversationEnded: (_: unknown, _p: ConversationEndedParams) => {},
    reject: (_: unknown, _p: RejectParams) => {},
  },
  guards: {
    fromOwner: ({ context, event }) => event.type === 'agent.message' && event.agentId === context.agentId,
    fromWatcher: ({ context, event }) => event.type === 'whisper' && context.watchers.includes(event.supervisorId),
    endByOwner: ({ context, event }) => event.type === 'agent.end' && event.agentId === context.agentId,
    mayAutoReply: ({ context }) => {
      const cfg = context.agentId ? context.autoReplies[context.agentId] : undefined;
      return cfg !== undefined && cfg.text.length > 0 && context.autoRepliesSent < cfg.maxTimes;
    },
    busyWidget: ({ event }) => event.type === 'routing.queued' && event.widget === 'busy',
  },
  delays: {
    autoReply: ({ context }) => (context.agentId ? context.autoReplies[context.agentId]?.afterMs : undefined) ?? 2_147_483_647,
    visitorGrace: ({ context }) => context.visitorGraceMs,
  },
}).createMachine({
  id: 'conversation',
  context: ({ input }) => ({ ...input, agentId: null, agentName: null, watchers: [], transferTo: null, autoRepliesSent: 0 }),
  initial: 'queued',
  on: {
    'routing.watchers': { actions: assign({ watchers: ({ event }) => event.watchers }) },
    'autoReply.configure': {
      actions: assign({
        autoReplies: ({ context, event }) => {
          const next = { ...context.autoReplies };
          if (event.config) next[event.agentId] = event.config;
          else delete next[event.agentId];
          return next;
        },
      }),
    },
    'visitor.disconnected': { actions: raise({ type: 'visitor.gone' }, { delay: 'visitorGrace', id: 'visitorGrace' }) },
    'visitor.reconnected': { actions: cancel('visitorGrace') },
    'visitor.gone': { target: '.ended', actions: { type: 'conversationEnded', params: ({ context }) => ({ conversationId: context.conversationId, by: 'system', agentId: context.agentId }) } },
    'visitor.end': { target: '.ended', actions: { type: 'conversationEnded', params: ({ context }) => ({ conversationId: context.conversationId, by: 'visitor', agentId: context.agentId }) } },
    'agent.end': [
      { guard: 'endByOwner', target: '.ended', actions: { type: 'conversationEnded', params: ({ context }) => ({ conversationId: context.conversationId, by: 'agent', agentId: context.agentId }) } },
      { actions: { type: 'reject', params: ({ event }) => rejectTo(event.agentId, ErrorCode.Forbidden, 'not your conversation', event.ref) } },
    ],
    'agent.message': { actions: { type: 'reject', params: ({ event }) => rejectTo(event.agentId, ErrorCode.Forbidden, 'not your conversation', event.ref) } },
    whisper: { actions: { type: 'reject', params: ({ event }) => rejectTo(event.supervisorId, ErrorCode.Forbidden, 'not monitoring this agent', event.ref) } },
  },
  states: {
    queued: {
      on: {
        'routing.queued': [
          { guard: 'busyWidget', actions: enqueueActions(({ context, enqueue }) => { if (hasText(context, 'busy')) enqueue({ type: 'persistMessage', params: systemText('busy')({ context }) }); }) },
          { actions: enqueueActions(({ context, enqueue }) => { if (hasText(context, 'waiting')) enqueue({ type: 'persistMessage', params: systemText('waiting')({ context }) }); }) },
        ],
        'routing.assigned': {
          target: 'live',
          actions: [
            assign(({ event }) => ({ agentId: event.agentId, agentName: event.agentName, watchers: event.watchers })),
            enqueueActions(({ context, enqueue }) => { if (hasText(context, 'welcome')) enqueue({ type: 'persistMessage', params: systemText('welcome')({ context }) }); }),
          ],
        },
        'visitor.message': { actions: { type: 'persistMessage', params: visitorMessage } },
      },
    },
    live: {
      type: 'parallel',
      on: {
        'routing.requeued': { target: 'queued', actions: assign({ agentId: null, agentName: null, transferTo: null }) },
        'routing.assigned': {
          // Transfer accepted or supervisor took over: new owner, same chat.
          target: ['.owner.active', '.reply'],
          actions: [
            assign(({ event }) => ({ agentId: event.agentId, agentName: event.agentName, watchers: event.watchers, transferTo: null })),
            enqueueActions(({ context, event, enqueue }) => {
              if (event.includeHistory) enqueue({ type: 'shareHistory', params: { conversationId: context.conversationId, agentId: event.agentId } });
            }),
          ],
        },
        'whisper': [
          {
            guard: 'fromWatcher',
            actions: {
              type: 'persistMessage',
              params: ({ context, event }) => ({ conversationId: context.conversationId, sender: 'agent', senderId: event.supervisorId, text: event.text, clientMsgId: event.clientMsgId, kind: 'whisper', audience: { visitor: false, agentIds: consoleAudience(context) } }),
            },
          },
          { actions: { type: 'reject', params: ({ event }) => rejectTo(event.supervisorId, ErrorCode.Forbidden, 'not monitoring this agent', event.ref) } },
        ],
      },
      states: {
        owner: {
          initial: 'active',
          states: {
            active: {
              on: { 'routing.transferStarted': { target: 'transferring', actions: assign({ transferTo: ({ event }) => event.toAgentId }) } },
            },
            transferring: {
              on: { 'routing.transferEnded': { target: 'active', actions: assign({ transferTo: null }) } },
            },
          },
        },
        // Auto-reply (B4) only: a visitor message waits for the agent's answer in
        // `awaiting`, whose timer is the auto-reply. Without an auto-reply that may still
        // fire, nothing waits: each message is then one targetless transition, not a
        // state change plus a timer set and cleared (scenario a alternates visitor and
        // agent messages, so that was two timers per message).
        reply: {
          initial: 'answered',
          states: {
            answered: {
              on: {
                'visitor.message': [
                  { guard: 'mayAutoReply', target: 'awaiting', actions: { type: 'persistMessage', params: visitorMessage } },
                  { actions: { type: 'persistMessage', params: visitorMessage } },
                ],
                'agent.message': [
                  { guard: 'fromOwner', actions: { type: 'persistMessage', params: agentMessage } },
                  { actions: { type: 'reject', params: notYours } },
                ],
              },
            },
            awaiting: {
              on: {
                'visitor.message': { actions: { type: 'persistMessage', params: visitorMessage } },
                'agent.message': [
                  { guard: 'fromOwner', target: 'answered', actions: { type: 'persistMessage', params: agentMessage } },
                  { actions: { type: 'reject', params: notYours } },
                ],
              },
              after: {
                autoReply: {
                  guard: 'mayAutoReply',
                  target: 'answered',
                  actions: [
                    assign({ autoRepliesSent: ({ context }) => context.autoRepliesSent + 1 }),
                    {
                      type: 'persistMessage',
                      params: ({ context }) => ({ conversationId: context.conversationId, sender: 'system', senderId: context.agentId, text: context.autoReplies[context.agentId!]!.text, clientMsgId: null, kind: 'autoReply', audience: everyone(context) }),
                    },
                  ],
                },
              },
            },
          },
        },
      },
    },
    ended: {
      type: 'final',
      entry: [
        cancel('visitorGrace'),
        enqueueActions(({ context, enqueue }) => { if (hasText(context, 'closing')) enqueue({ type: 'persistMessage', params: systemText('closing')({ context }) }); }),
      ],
    },
  },
});

/** The protocol's ConversationState for a snapshot of this machine. */
export function conversationState(value: unknown): ConversationState {
  if (value === 'queued' || value === 'ended') return value;
  const owner = (value as { live?: { owner?: string } }).live?.owner;
  return owner === 'transferring' ? 'transferring' : 'active';
}
