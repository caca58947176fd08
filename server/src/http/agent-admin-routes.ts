// A5 agent management (客服管理): list, add, edit (name, permissions, max
// chats, auto-accept, password), disable/enable, delete. Needs 'manage_agents'
// (the admin holds it). The admin account itself is not editable beyond its
// name, and nobody disables or deletes themselves. After a change the agent's
// open consoles get `agent.permissions` at once and their sockets check frames
// against the new permissions (agentsChanged → agent-socket applyAgents); a
// disabled agent's sockets close (4003). HTTP requests already see it because
// the session authenticator re-reads the agent on every request.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AgentStatus } from '../../../protocol/codes.js';
import type { AgentOut } from '../../../protocol/agent-frames.js';
import { PERMISSIONS, type Permission } from '../ports/account-store.js';
import type { AgentAdminStore, AgentPatch, ManagedAgent } from '../ports/agent-admin-store.js';
import { hashPassword, passwordProblem } from '../domain/passwords.js';
import { AGENT_ID } from './agent-chat-routes.js';
import { can, FieldError, forbidden, notFound, readBody, str } from './tool-route-helpers.js';
import { errorBody, json, type AuthContext, type Route } from './types.js';

export interface AgentAdminDeps {
  store: AgentAdminStore;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  presence?: (companyId: string, agentId: string) => AgentStatus;
  /** the routing runtime reloads agent profiles (cap, auto-accept, permissions) */
  agentsChanged?: (companyId: string) => Promise<void>;
}

const MAX_CHATS = 100;

function permissions(v: unknown): Permission[] {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string' && (PERMISSIONS as readonly string[]).includes(p))) {
    throw new FieldError(`permissions must be a list from: ${PERMISSIONS.join(', ')}`);
  }
  return [...new Set(v as Permission[])];
}
function maxChats(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_CHATS) throw new FieldError(`maxChats must be an integer 0..${MAX_CHATS}`);
  return v;
}
function bool(v: unknown, key: string): boolean {
  if (typeof v !== 'boolean') throw new FieldError(`${key} must be true or false`);
  return v;
}
function password(v: unknown): string {
  const problem = passwordProblem(v);
  if (problem) throw new FieldError(problem);
  return v as string;
}

const PATCH_KEYS = ['name', 'permissions', 'maxChats', 'autoAccept', 'disabled', 'password'];

export function agentAdminRoutes(deps: AgentAdminDeps): Route[] {
  const view = (companyId: string, a: ManagedAgent) => ({ ...a, status: a.disabled ? 'offline' : deps.presence?.(companyId, a.id) ?? null });
  const push = (companyId: string, a: Pick<ManagedAgent, 'id' | 'role' | 'permissions' | 'disabled'>) =>
    deps.toAgent(companyId, a.id, { v: 1, type: 'agent.permissions', role: a.role, permissions: a.permissions, disabled: a.disabled });
  const denied = () => forbidden('agent management needs the manage_agents permission');
  /** A manager who is not the admin hands out only permissions they hold themselves. */
  const beyond = (auth: AuthContext, granted: Permission[] | undefined) =>
    auth.role !== 'admin' && (granted ?? []).some((p) => !auth.permissions.includes(p));

  return [
    {
      method: 'GET', path: '/api/v1/agents', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'manage_agents')) return denied();
        const agents = await deps.store.list(auth.companyId);
        return json(200, { agents: agents.map((a) => view(auth.companyId, a)), catalogue: PERMISSIONS, presence: Boolean(deps.presence) });
      },
    },
    {
      method: 'POST', path: '/api/v1/agents', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'manage_agents')) return denied();
        const r = readBody(req.body, (b) => {
          const id = str(b, 'id', 64, { required: true });
          if (!AGENT_ID.test(id)) throw new FieldError('id may use letters, digits and . _ @ - (up to 64)');
          return {
            id, name: str(b, 'name', 60, { required: true }), password: password(b.password),
            permissions: b.permissions === undefined ? (['accept_chats'] as Permission[]) : permissions(b.permissions),
            maxChats: b.maxChats === undefined ? 5 : maxChats(b.maxChats),
            autoAccept: b.autoAccept === undefined ? false : bool(b.autoAccept, 'autoAccept'),
          };
        });
        if ('error' in r) return r.error;
        const { password: pw, ...rest } = r.value;
        if (beyond(auth, rest.permissions)) return forbidden('you can only grant permissions you hold');
        const agent = await deps.store.create(auth.companyId, { ...rest, passwordHash: await hashPassword(pw) });
        await deps.agentsChanged?.(auth.companyId);
        return json(201, { agent: view(auth.companyId, agent) });
      },
    },
    {
      method: 'PATCH', path: '/api/v1/agents/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'manage_agents')) return denied();
        const id = req.params.id ?? '';
        const current = AGENT_ID.test(id) ? await deps.store.get(auth.companyId, id) : null;
        if (!current) return notFound('agent');
        const r = readBody(req.body, (b) => {
          const unknown = Object.keys(b).filter((k) => !PATCH_KEYS.includes(k));
          if (unknown.length) throw new FieldError(`unknown fields: ${unknown.join(', ')}`);
          const p: AgentPatch & { password?: string } = {};
          if (b.name !== undefined) p.name = str(b, 'name', 60, { required: true });
          if (b.permissions !== undefined) p.permissions = permissions(b.permissions);
          if (b.maxChats !== undefined) p.maxChats = maxChats(b.maxChats);
          if (b.autoAccept !== undefined) p.autoAccept = bool(b.autoAccept, 'autoAccept');
          if (b.disabled !== undefined) p.disabled = bool(b.disabled, 'disabled');
          if (b.password !== undefined) p.password = password(b.password);
          return p;
        });
        if ('error' in r) return r.error;
        const { password: pw, ...patch } = r.value;
        if (current.role === 'admin' && (patch.permissions || patch.disabled !== undefined)) return forbidden('the admin\'s permissions cannot be changed');
        if (beyond(auth, patch.permissions)) return forbidden('you can only grant permissions you hold');
        if (current.id === auth.agentId && patch.disabled) return json(409, errorBody(ErrorCode.Conflict, 'you cannot disable yourself'));
        const updated = await deps.store.update(auth.companyId, id, { ...patch, ...(pw ? { passwordHash: await hashPassword(pw) } : {}) });
        if (!updated) return notFound('agent');
        await deps.agentsChanged?.(auth.companyId);
        push(auth.companyId, updated);
        return json(200, { agent: view(auth.companyId, updated) });
      },
    },
    {
      method: 'DELETE', path: '/api/v1/agents/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'manage_agents')) return denied();
        const id = req.params.id ?? '';
        const current = AGENT_ID.test(id) ? await deps.store.get(auth.companyId, id) : null;
        if (!current) return notFound('agent');
        if (current.role === 'admin') return forbidden('the admin cannot be deleted');
        if (current.id === auth.agentId) return json(409, errorBody(ErrorCode.Conflict, 'you cannot delete yourself'));
        if (!(await deps.store.remove(auth.companyId, id))) return notFound('agent');
        await deps.agentsChanged?.(auth.companyId);
        push(auth.companyId, { id, role: current.role, permissions: [], disabled: true });
        return json(200, { ok: true });
      },
    },
  ];
}
