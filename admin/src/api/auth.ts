// Login, session and self-service company sign-up (A1, A2).
import type { AgentStatus } from '../../../protocol/codes';
import { request } from './http';

export type Role = 'admin' | 'agent';

export interface SessionAgent {
  id: string;
  name: string;
  role: Role;
  permissions: string[];
  /** present when the server knows it; the socket's agent.ready is authoritative */
  status?: AgentStatus;
}

export interface Session {
  agent: SessionAgent;
  companyId: string;
  csrfToken: string;
}

export interface LoginInput {
  companyId: string;
  agentId: string;
  password: string;
  totp?: string;
}

export const login = (input: LoginInput) => request<Session>('POST', '/api/v1/auth/login', { body: input, quiet401: true });
export const me = () => request<Session>('GET', '/api/v1/auth/me', { quiet401: true });
export const logout = () => request<unknown>('POST', '/api/v1/auth/logout', { quiet401: true });

export interface SignupInput {
  companyName: string;
  adminName: string;
  password: string;
  agentId?: string;
}
export const signupEnabled = () => request<{ enabled: boolean }>('GET', '/api/v1/signup');
export const signup = (input: SignupInput) => request<{ companyId: string; agentId: string }>('POST', '/api/v1/signup', { body: input });
