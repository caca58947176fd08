// Conversation history for the console: lists (ended chats etc.) and messages.
import { ErrorCode } from '../../../protocol/codes.js';
import { CONVERSATION_STATES, type ConversationState } from '../../../protocol/index.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { errorBody, json, type Route } from './types.js';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function conversationRoutes(deps: { store: ConversationStore }): Route[] {
  return [
    {
      method: 'GET', path: '/api/v1/conversations', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const states = (req.query.get('state') ?? '').split(',').filter(Boolean);
        if (states.some((s) => !CONVERSATION_STATES.includes(s as ConversationState))) {
          return json(400, errorBody(ErrorCode.BadRequest, `state must be among ${CONVERSATION_STATES.join(', ')}`));
        }
        const limitRaw = req.query.get('limit');
        const limit = limitRaw === null ? 50 : Number(limitRaw);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) return json(400, errorBody(ErrorCode.BadRequest, 'limit must be 1..200'));
        const before = req.query.get('before');
        if (before !== null && !ID.test(before)) return json(400, errorBody(ErrorCode.BadRequest, 'bad before id'));
        const agentId = req.query.get('agent');
        if (agentId !== null && !ID.test(agentId)) return json(400, errorBody(ErrorCode.BadRequest, 'bad agent id'));
        const items = await deps.store.list(auth.companyId, {
          ...(states.length ? { states: states as ConversationState[] } : {}),
          ...(agentId ? { agentId } : {}),
          ...(before ? { before } : {}),
          limit,
        });
        return json(200, { items });
      },
    },
    {
      method: 'GET', path: '/api/v1/conversations/:id', auth: 'session',
      handler: async (req) => {
        const id = req.params.id ?? '';
        if (!ID.test(id)) return json(400, errorBody(ErrorCode.BadRequest, 'bad conversation id'));
        const conv = await deps.store.get(req.auth!.companyId, id);
        return conv ? json(200, conv) : json(404, errorBody(ErrorCode.NotFound, 'conversation not found'));
      },
    },
    {
      method: 'GET', path: '/api/v1/conversations/:id/messages', auth: 'session',
      handler: async (req) => {
        const id = req.params.id ?? '';
        if (!ID.test(id)) return json(400, errorBody(ErrorCode.BadRequest, 'bad conversation id'));
        const after = Number(req.query.get('afterSeq') ?? '0');
        if (!Number.isInteger(after) || after < 0) return json(400, errorBody(ErrorCode.BadRequest, 'afterSeq must be a whole number ≥ 0'));
        const conv = await deps.store.get(req.auth!.companyId, id);
        if (!conv) return json(404, errorBody(ErrorCode.NotFound, 'conversation not found'));
        return json(200, { items: await deps.store.messagesAfter(req.auth!.companyId, id, after, 1000) });
      },
    },
  ];
}
