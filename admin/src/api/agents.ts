// A5 agent management (客服管理) REST calls.
import type { AgentStatus } from '../../../protocol/codes';
import { request } from './http';

export interface ManagedAgent {
  id: string;
  name: string;
  role: 'admin' | 'agent';
  permissions: string[];
  disabled: boolean;
  maxChats: number;
  autoAccept: boolean;
  createdAt: number;
  status: AgentStatus | null;
}

export interface AgentInput { name?: string; permissions?: string[]; maxChats?: number; autoAccept?: boolean; disabled?: boolean; password?: string }

export const list = () => request<{ agents: ManagedAgent[]; catalogue: string[]; presence: boolean }>('GET', '/api/v1/agents');
export const create = (body: AgentInput & { id: string; name: string; password: string }) => request<{ agent: ManagedAgent }>('POST', '/api/v1/agents', { body });
export const update = (id: string, body: AgentInput) => request<{ agent: ManagedAgent }>('PATCH', `/api/v1/agents/${encodeURIComponent(id)}`, { body });
export const remove = (id: string) => request<{ ok: true }>('DELETE', `/api/v1/agents/${encodeURIComponent(id)}`);
