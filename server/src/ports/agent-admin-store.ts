// A5 agent management: the fields an admin edits beyond AccountStore's
// create/read. Every method is scoped to a company.
import type { Permission, Role } from './account-store.js';

export interface ManagedAgent {
  id: string;
  name: string;
  role: Role;
  permissions: Permission[];
  disabled: boolean;
  maxChats: number;
  autoAccept: boolean;
  createdAt: number;
}

export interface AgentPatch {
  name?: string;
  permissions?: Permission[];
  maxChats?: number;
  autoAccept?: boolean;
  disabled?: boolean;
  passwordHash?: string;
}

export interface AgentAdminStore {
  list(companyId: string): Promise<ManagedAgent[]>;
  get(companyId: string, agentId: string): Promise<ManagedAgent | null>;
  create(companyId: string, input: { id: string; name: string; passwordHash: string; permissions: Permission[]; maxChats: number; autoAccept: boolean }): Promise<ManagedAgent>;
  /** Disabling also ends the agent's sessions. Null when there is no such agent. */
  update(companyId: string, agentId: string, patch: AgentPatch): Promise<ManagedAgent | null>;
  /** False when there is no such agent. */
  remove(companyId: string, agentId: string): Promise<boolean>;
}
