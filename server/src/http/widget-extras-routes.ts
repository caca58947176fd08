// REST for chat extras: the widget's pre-chat form (J5, public by company key),
// the company's form settings (J5/E7; admins change them) and what the console
// shows next to a chat (E8 rating, L1/E7 visitor profile). The member secret
// (L1) is read and rotated at /api/v1/tracking/settings and /tracking/member-secret.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore } from '../ports/account-store.js';
import type { ChatExtras } from '../runtime/chat-extras/chat-extras.js';
import { validateChatForms } from '../runtime/chat-extras/forms.js';
import { widgetVisitor } from './file-routes.js';
import { errorBody, json, type Route } from './types.js';

export interface WidgetExtrasRouteDeps {
  accounts: AccountStore;
  extras: ChatExtras;
}

const CONVERSATION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export function widgetExtrasRoutes(deps: WidgetExtrasRouteDeps): Route[] {
  const { extras } = deps;
  return [
    {
      method: 'GET', path: '/api/v1/widget/prechat', auth: 'none',
      handler: async (req) => {
        const { company } = await widgetVisitor(req, deps.accounts, { needVisitor: false });
        const { prechat } = await extras.forms(company.id);
        return json(200, prechat, { headers: { 'Cache-Control': 'no-cache' } });
      },
    },
    {
      method: 'GET', path: '/api/v1/settings/chat-forms', auth: 'session',
      handler: async (req) => json(200, await extras.forms(req.auth!.companyId)),
    },
    {
      method: 'PUT', path: '/api/v1/settings/chat-forms', auth: 'session',
      handler: async (req) => {
        if (req.auth!.role !== 'admin') return json(403, errorBody(ErrorCode.Forbidden, 'administrators only'));
        const v = validateChatForms(req.body);
        if ('error' in v) return json(400, errorBody(ErrorCode.BadRequest, v.error));
        await extras.saveForms(req.auth!.companyId, v);
        return json(200, v);
      },
    },
    {
      method: 'GET', path: '/api/v1/conversations/:id/extras', auth: 'session',
      handler: async (req) => {
        const id = req.params.id ?? '';
        if (!CONVERSATION_ID.test(id)) return json(404, errorBody(ErrorCode.NotFound, 'conversation not found'));
        return json(200, await extras.conversationExtras(req.auth!.companyId, id));
      },
    },
  ];
}
