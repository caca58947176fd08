// Company routing settings (D3/D4/D8: auto-assignment, mode, timeouts, system texts,
// auto-away) and auto-invite rules (D7). Admin or the 'settings' permission; the
// live router picks changes up at once.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore } from '../ports/account-store.js';
import { mergeRoutingSettings, parseInviteRule, storedInviteRules, storedRoutingSettings } from '../runtime/routing-settings.js';
import { errorBody, json, type HttpRequest, type HttpResponse, type Route } from './types.js';

export interface RoutingSettingsDeps {
  accounts: AccountStore;
  /** tells the running company router about the change */
  changed(companyId: string): Promise<void>;
}

const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_RULES = 50;

function guard(req: HttpRequest): HttpResponse | null {
  const auth = req.auth!;
  if (auth.role !== 'admin' && !auth.permissions.includes('settings')) return json(403, errorBody(ErrorCode.Forbidden, 'needs the settings permission'));
  return null;
}

export function routingSettingsRoutes(deps: RoutingSettingsDeps): Route[] {
  const rules = async (companyId: string) => storedInviteRules(await deps.accounts.companySetting(companyId, 'inviteRules'));
  return [
    {
      method: 'GET', path: '/api/v1/settings/routing', auth: 'session',
      handler: async (req) => guard(req) ?? json(200, storedRoutingSettings(await deps.accounts.companySetting(req.auth!.companyId, 'routing'))),
    },
    {
      method: 'PUT', path: '/api/v1/settings/routing', auth: 'session',
      handler: async (req) => {
        const denied = guard(req);
        if (denied) return denied;
        const companyId = req.auth!.companyId;
        const merged = mergeRoutingSettings(storedRoutingSettings(await deps.accounts.companySetting(companyId, 'routing')), req.body);
        if (!merged.ok) return json(400, errorBody(ErrorCode.BadRequest, merged.error));
        await deps.accounts.setCompanySetting(companyId, 'routing', merged.value);
        await deps.changed(companyId);
        return json(200, merged.value);
      },
    },
    {
      method: 'GET', path: '/api/v1/settings/invite-rules', auth: 'session',
      handler: async (req) => guard(req) ?? json(200, { items: await rules(req.auth!.companyId) }),
    },
    {
      method: 'PUT', path: '/api/v1/settings/invite-rules/:id', auth: 'session',
      handler: async (req) => {
        const denied = guard(req);
        if (denied) return denied;
        const id = req.params.id ?? '';
        if (!RULE_ID.test(id)) return json(400, errorBody(ErrorCode.BadRequest, 'bad rule id'));
        const parsed = parseInviteRule({ ...(typeof req.body === 'object' && req.body !== null ? req.body : {}), id });
        if (!parsed.ok) return json(400, errorBody(ErrorCode.BadRequest, parsed.error));
        const companyId = req.auth!.companyId;
        const list = await rules(companyId);
        const at = list.findIndex((r) => r.id === id);
        if (at >= 0) list[at] = parsed.value;
        else if (list.length >= MAX_RULES) return json(400, errorBody(ErrorCode.BadRequest, `at most ${MAX_RULES} rules`));
        else list.push(parsed.value);
        await deps.accounts.setCompanySetting(companyId, 'inviteRules', list);
        await deps.changed(companyId);
        return json(200, parsed.value);
      },
    },
    {
      method: 'DELETE', path: '/api/v1/settings/invite-rules/:id', auth: 'session',
      handler: async (req) => {
        const denied = guard(req);
        if (denied) return denied;
        const companyId = req.auth!.companyId;
        const list = await rules(companyId);
        const next = list.filter((r) => r.id !== req.params.id);
        if (next.length === list.length) return json(404, errorBody(ErrorCode.NotFound, 'rule not found'));
        await deps.accounts.setCompanySetting(companyId, 'inviteRules', next);
        await deps.changed(companyId);
        return json(200, { ok: true });
      },
    },
  ];
}
