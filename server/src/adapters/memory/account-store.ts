// In-memory AccountStore for unit tests and quick local runs. Honours the port's
// contract: every lookup is scoped by company, expired sessions read as null,
// returned objects are copies so callers cannot mutate stored state.
import {
  PERMISSIONS,
  type AccountStore, type Agent, type AgentWithSecret, type Company, type LoginEvent, type LoginType,
  type Permission, type Role, type RoutingAgent, type Session,
} from '../../ports/account-store.js';
import { ConflictError, NotFoundError } from '../../ports/errors.js';
import { generateCompanyId, generatePublicKey, randomToken } from '../../domain/company-ids.js';

interface LoginRow { companyId: string; agentId: string; event: LoginEvent; ip: string; type: LoginType; sessionId?: string; at: number }

/** Permissions of a new agent that is not given any: it may take chats. */
const DEFAULT_AGENT_PERMISSIONS: Permission[] = ['accept_chats', 'view_agents', 'transfer', 'canned_responses', 'customers_view'];
const DEFAULT_MAX_CHATS = 5;

export class MemoryAccountStore implements AccountStore {
  private readonly companies = new Map<string, Company>();
  /** key: companyId + '\0' + agentId */
  private readonly agents = new Map<string, AgentWithSecret>();
  private readonly sessions = new Map<string, Session>();
  private readonly logins: LoginRow[] = [];
  private readonly settings = new Map<string, Record<string, unknown>>();
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  async createCompany(input: { name: string; timeZone?: string; admin: { id: string; name: string; passwordHash: string } }) {
    let id = generateCompanyId();
    while (this.companies.has(id)) id = generateCompanyId();
    const company: Company = { id, name: input.name, publicKey: generatePublicKey(), timeZone: input.timeZone ?? 'Asia/Shanghai', createdAt: this.now() };
    this.companies.set(id, company);
    const admin = await this.createAgent(id, { ...input.admin, role: 'admin', permissions: [...PERMISSIONS] });
    return { company: { ...company }, admin };
  }

  async companyById(id: string) {
    const c = this.companies.get(id);
    return c ? { ...c } : null;
  }

  async companyByPublicKey(publicKey: string) {
    for (const c of this.companies.values()) if (c.publicKey === publicKey) return { ...c };
    return null;
  }

  async countCompanies() {
    return this.companies.size;
  }

  async agentForLogin(companyId: string, agentId: string) {
    const a = this.agents.get(key(companyId, agentId));
    return a ? copySecret(a) : null;
  }

  async agent(companyId: string, agentId: string) {
    const a = this.agents.get(key(companyId, agentId));
    return a ? publicAgent(a) : null;
  }

  async listAgents(companyId: string) {
    return [...this.agents.values()].filter((a) => a.companyId === companyId).map(publicAgent);
  }

  async createAgent(companyId: string, input: { id: string; name: string; passwordHash: string; role?: Role; permissions?: Permission[]; maxChats?: number }) {
    if (!this.companies.has(companyId)) throw new NotFoundError('company');
    const k = key(companyId, input.id);
    if (this.agents.has(k)) throw new ConflictError(`agent ${input.id} already exists`);
    const a: AgentWithSecret = {
      companyId,
      id: input.id,
      name: input.name,
      role: input.role ?? 'agent',
      permissions: [...(input.permissions ?? DEFAULT_AGENT_PERMISSIONS)],
      disabled: false,
      maxChats: input.maxChats ?? DEFAULT_MAX_CHATS,
      passwordHash: input.passwordHash,
      totpSecret: null,
    };
    this.agents.set(k, a);
    return publicAgent(a);
  }

  async createSession(input: { companyId: string; agentId: string; ttlMs: number; ip: string; userAgent: string }) {
    if (!this.agents.has(key(input.companyId, input.agentId))) throw new NotFoundError('agent');
    const s: Session = { id: randomToken(), companyId: input.companyId, agentId: input.agentId, csrfToken: randomToken(), expiresAt: this.now() + input.ttlMs };
    this.sessions.set(s.id, s);
    this.sweepSessions();
    return { ...s };
  }

  async session(id: string) {
    const s = this.sessions.get(id);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return { ...s };
  }

  async deleteSession(id: string) {
    this.sessions.delete(id);
  }

  async logLogin(input: { companyId: string; agentId: string; event: LoginEvent; ip: string; type: LoginType; sessionId?: string }) {
    this.logins.push({ ...input, at: this.now() });
  }

  async loginLog(companyId: string, opts: { limit: number; offset: number }) {
    // Newest first, like the admin's login-log page.
    return this.logins
      .filter((r) => r.companyId === companyId)
      .reverse()
      .slice(opts.offset, opts.offset + opts.limit)
      .map(({ agentId, event, ip, type, at }) => ({ agentId, event, ip, type, at }));
  }

  async routingAgents(companyId: string): Promise<RoutingAgent[]> {
    return [...this.agents.values()].filter((a) => a.companyId === companyId && !a.disabled).map((a) => ({
      id: a.id, name: a.name, role: a.role, permissions: a.role === 'admin' ? [...PERMISSIONS] : [...a.permissions], disabled: a.disabled,
      maxChats: a.maxChats, autoAccept: false, groups: [], autoReply: null,
    }));
  }

  async companySetting(companyId: string, k: string): Promise<unknown> {
    return structuredClone(this.settings.get(companyId)?.[k] ?? null);
  }

  async setCompanySetting(companyId: string, k: string, value: unknown): Promise<void> {
    if (!this.companies.has(companyId)) throw new NotFoundError('company');
    this.settings.set(companyId, { ...this.settings.get(companyId), [k]: structuredClone(value) });
  }

  async close() {}

  /** A2 bind/unbind (TotpSecretStore); not yet part of the AccountStore port. */
  async setTotpSecret(companyId: string, agentId: string, secret: string | null): Promise<void> {
    const a = this.agents.get(key(companyId, agentId));
    if (!a) throw new NotFoundError('agent');
    a.totpSecret = secret;
  }

  /**
   * Test and seeding helper outside the port (agent management will add port
   * methods): changes stored fields such as `disabled` or `totpSecret`.
   */
  patchAgent(companyId: string, agentId: string, patch: Partial<Omit<AgentWithSecret, 'companyId' | 'id'>>): void {
    const a = this.agents.get(key(companyId, agentId));
    if (!a) throw new NotFoundError('agent');
    Object.assign(a, patch);
  }

  /** Drops expired sessions now and then so a long-running dev server stays small. */
  private sweepSessions(): void {
    if (this.sessions.size % 256 !== 0) return;
    const t = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= t) this.sessions.delete(id);
  }
}

const key = (companyId: string, agentId: string) => `${companyId}\0${agentId}`;

function publicAgent(a: AgentWithSecret): Agent {
  return { companyId: a.companyId, id: a.id, name: a.name, role: a.role, permissions: [...a.permissions], disabled: a.disabled, maxChats: a.maxChats };
}

function copySecret(a: AgentWithSecret): AgentWithSecret {
  return { ...publicAgent(a), passwordHash: a.passwordHash, totpSecret: a.totpSecret };
}
