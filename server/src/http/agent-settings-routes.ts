// B4 per-agent settings: GET / PUT /api/v1/me/settings. The agent comes from
// the session, so there is nobody else's settings to reach. PUT takes a full
// or partial document; unknown keys are refused so typos do not vanish.
import { DEFAULT_AGENT_SETTINGS, type AgentSettings, type AgentSettingsStore } from '../ports/agent-settings-store.js';
import { json, type Route } from './types.js';
import { FieldError, oneOf, readBody } from './tool-route-helpers.js';

const KEYS = Object.keys(DEFAULT_AGENT_SETTINGS) as Array<keyof AgentSettings>;
/** Modifiers in a fixed order, at least one, then one key: "Alt+Z", "Ctrl+Shift+ArrowDown". */
const SHORTCUT = /^(Ctrl\+)?(Alt\+)?(Shift\+)?(Meta\+)?([A-Z0-9]|F[1-9]|F1[0-2]|Arrow(Up|Down|Left|Right)|Tab|PageUp|PageDown)$/;
const COLUMN = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/;

function bool(b: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = b[key] ?? fallback;
  if (typeof v !== 'boolean') throw new FieldError(`${key} must be true or false`);
  return v;
}

export function readSettings(b: Record<string, unknown>, base: AgentSettings): AgentSettings {
  const unknown = Object.keys(b).filter((k) => !(KEYS as string[]).includes(k));
  if (unknown.length) throw new FieldError(`unknown settings: ${unknown.join(', ')}`);
  const shortcut = b.nextChatShortcut ?? base.nextChatShortcut;
  if (typeof shortcut !== 'string' || !SHORTCUT.test(shortcut) || !/\+/.test(shortcut)) {
    throw new FieldError('nextChatShortcut must be modifiers and a key, e.g. Alt+Z');
  }
  const columns = b.visitorColumns ?? base.visitorColumns;
  if (!Array.isArray(columns) || columns.length > 40 || !columns.every((c) => typeof c === 'string' && COLUMN.test(c))) {
    throw new FieldError('visitorColumns must be up to 40 column names');
  }
  return {
    sendKey: oneOf(b, 'sendKey', ['enter', 'ctrlEnter'] as const, base.sendKey),
    nextChatShortcut: shortcut,
    switchAfterSend: bool(b, 'switchAfterSend', base.switchAfterSend),
    notifySound: bool(b, 'notifySound', base.notifySound),
    notifyPopup: bool(b, 'notifyPopup', base.notifyPopup),
    visitorColumns: [...new Set(columns as string[])],
  };
}

export function agentSettingsRoutes(deps: { store: AgentSettingsStore }): Route[] {
  const { store } = deps;
  return [
    {
      method: 'GET', path: '/api/v1/me/settings', auth: 'session',
      handler: async (req) => json(200, { settings: await store.get(req.auth!.companyId, req.auth!.agentId) }),
    },
    {
      method: 'PUT', path: '/api/v1/me/settings', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const base = await store.get(auth.companyId, auth.agentId);
        const r = readBody(req.body, (b) => readSettings(b, base));
        if ('error' in r) return r.error;
        return json(200, { settings: await store.save(auth.companyId, auth.agentId, r.value) });
      },
    },
  ];
}
