// Companies, agents, sessions and the login log.
export type Role = 'admin' | 'agent';

export const PERMISSIONS = [
  'accept_chats', 'view_agents', 'transfer', 'monitor', 'manage_agents', 'manage_groups',
  'customers_view', 'customers_edit', 'customers_assign', 'canned_responses', 'blocking',
  'settings', 'analytics', 'export',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Company {
  id: string;
  name: string;
  /** Public key embedded in the widget snippet; not a secret. */
  publicKey: string;
  timeZone: string;
  createdAt: number;
}

export interface Agent {
  companyId: string;
  id: string;
  name: string;
  role: Role;
  permissions: Permission[];
  disabled: boolean;
  maxChats: number;
}

export interface AgentWithSecret extends Agent {
  passwordHash: string;
  totpSecret: string | null;
}

export interface Session {
  id: string;
  companyId: string;
  agentId: string;
  csrfToken: string;
  expiresAt: number;
}

export type LoginType = 'console' | 'api';
export type LoginEvent = 'login' | 'logout' | 'failed';

/** What the company router needs to know about one agent. */
export interface RoutingAgent {
  id: string;
  name: string;
  role: Role;
  permissions: Permission[];
  disabled: boolean;
  maxChats: number;
  autoAccept: boolean;
  groups: string[];
  autoReply: { text: string; afterMs: number; maxTimes: number } | null;
}

export interface AccountStore {
  createCompany(input: { name: string; timeZone?: string; admin: { id: string; name: string; passwordHash: string } }): Promise<{ company: Company; admin: Agent }>;
  companyById(id: string): Promise<Company | null>;
  companyByPublicKey(publicKey: string): Promise<Company | null>;
  countCompanies(): Promise<number>;
  agentForLogin(companyId: string, agentId: string): Promise<AgentWithSecret | null>;
  agent(companyId: string, agentId: string): Promise<Agent | null>;
  listAgents(companyId: string): Promise<Agent[]>;
  createAgent(companyId: string, input: { id: string; name: string; passwordHash: string; role?: Role; permissions?: Permission[]; maxChats?: number }): Promise<Agent>;
  createSession(input: { companyId: string; agentId: string; ttlMs: number; ip: string; userAgent: string }): Promise<Session>;
  /** Returns null for an unknown or expired session. */
  session(id: string): Promise<Session | null>;
  deleteSession(id: string): Promise<void>;
  logLogin(input: { companyId: string; agentId: string; event: LoginEvent; ip: string; type: LoginType; sessionId?: string }): Promise<void>;
  loginLog(companyId: string, opts: { limit: number; offset: number }): Promise<Array<{ agentId: string; event: LoginEvent; ip: string; type: LoginType; at: number }>>;
  /** Every enabled agent with its routing profile (groups, cap, auto-accept, auto-reply). */
  routingAgents(companyId: string): Promise<RoutingAgent[]>;
  /** One key of companies.settings (e.g. 'routing', 'inviteRules'); null when unset. */
  companySetting(companyId: string, key: string): Promise<unknown>;
  setCompanySetting(companyId: string, key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}
