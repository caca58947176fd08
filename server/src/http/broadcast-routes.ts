// F2 broadcasts (发布通知). Sending and the sent list need 'manage_agents' (the
// manual: 客服管理员); everyone has a received list and marks items read.
// 'now' pushes `broadcast.received` at once; 'login' is shown to sessions that
// start after it; 'at' waits in Postgres for the BroadcastScheduler.
import type { AccountStore } from '../ports/account-store.js';
import type { BroadcastAudience, BroadcastDelivery, BroadcastStore } from '../ports/broadcast-store.js';
import { deliverBroadcast, type BroadcastScheduler } from '../runtime/broadcast-scheduler.js';
import type { AgentOut } from '../../../protocol/agent-frames.js';
import { AGENT_ID } from './agent-chat-routes.js';
import { bad, can, FieldError, forbidden, notFound, oneOf, readBody, str } from './tool-route-helpers.js';
import { json, type Route } from './types.js';

const GROUP_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const YEAR_MS = 366 * 24 * 3600_000;

export interface BroadcastDeps {
  store: BroadcastStore;
  accounts: AccountStore;
  scheduler: Pick<BroadcastScheduler, 'wake'>;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  now?: () => number;
}

interface Input { text: string; audience: BroadcastAudience; targets: string[]; delivery: BroadcastDelivery; sendAt?: number }

function readInput(b: Record<string, unknown>, now: number): Input {
  const text = str(b, 'text', 2000, { required: true });
  const audience = oneOf(b, 'audience', ['all', 'groups', 'agents'] as const, 'all');
  const delivery = oneOf(b, 'delivery', ['now', 'login', 'at'] as const, 'now');
  let targets: string[] = [];
  if (audience !== 'all') {
    const t = b.targets;
    const pattern = audience === 'groups' ? GROUP_ID : AGENT_ID;
    if (!Array.isArray(t) || t.length === 0 || t.length > 500 || !t.every((x) => typeof x === 'string' && pattern.test(x))) {
      throw new FieldError(`targets must list 1 to 500 ${audience === 'groups' ? 'group' : 'agent'} ids`);
    }
    targets = [...new Set(t as string[])];
  } else if (b.targets !== undefined && !(Array.isArray(b.targets) && b.targets.length === 0)) {
    throw new FieldError('targets must be empty when audience is all');
  }
  if (delivery !== 'at') {
    if (b.sendAt !== undefined) throw new FieldError('sendAt goes with delivery at');
    return { text, audience, targets, delivery };
  }
  const sendAt = b.sendAt;
  if (typeof sendAt !== 'number' || !Number.isInteger(sendAt) || sendAt <= now || sendAt > now + YEAR_MS) {
    throw new FieldError('sendAt must be a future time (ms since epoch) within a year');
  }
  return { text, audience, targets, delivery, sendAt };
}

export function broadcastRoutes(deps: BroadcastDeps): Route[] {
  const now = deps.now ?? Date.now;
  const canSend = (auth: Parameters<typeof can>[0]) => can(auth, 'manage_agents');

  return [
    {
      method: 'POST', path: '/api/v1/broadcasts', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!canSend(auth)) return forbidden('sending broadcasts needs the manage_agents permission');
        const r = readBody(req.body, (b) => readInput(b, now()));
        if ('error' in r) return r.error;
        const { broadcast, recipients } = await deps.store.create(auth.companyId, { ...r.value, senderId: auth.agentId, senderName: auth.name });
        if (broadcast.delivery === 'now') deliverBroadcast(deps.toAgent, auth.companyId, broadcast, recipients);
        if (broadcast.delivery === 'at') deps.scheduler.wake(auth.companyId, broadcast.id, broadcast.sendAt);
        return json(201, { broadcast, recipients: recipients.length });
      },
    },
    {
      method: 'GET', path: '/api/v1/broadcasts/sent', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!canSend(auth)) return forbidden('the sent list needs the manage_agents permission');
        return json(200, { items: await deps.store.sent(auth.companyId, auth.agentId, { limit: 200 }) });
      },
    },
    {
      method: 'GET', path: '/api/v1/broadcasts/targets', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!canSend(auth)) return forbidden('needs the manage_agents permission');
        const [groups, agents] = await Promise.all([deps.store.groups(auth.companyId), deps.accounts.listAgents(auth.companyId)]);
        return json(200, { groups, agents: agents.filter((a) => !a.disabled && a.id !== auth.agentId).map((a) => ({ id: a.id, name: a.name })) });
      },
    },
    {
      method: 'GET', path: '/api/v1/broadcasts/received', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const startedAt = (await deps.store.sessionStartedAt(auth.companyId, auth.sessionId)) ?? now();
        return json(200, { items: await deps.store.received(auth.companyId, auth.agentId, { limit: 200, sessionStartedAt: startedAt }) });
      },
    },
    {
      method: 'POST', path: '/api/v1/broadcasts/:id/read', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const id = req.params.id ?? '';
        if (!/^[1-9][0-9]{0,15}$/.test(id)) return bad('id must be a broadcast id');
        const ok = await deps.store.markRead(auth.companyId, auth.agentId, Number(id));
        return ok ? json(200, { ok: true }) : notFound('broadcast');
      },
    },
  ];
}
