// Pieces shared by the auth handlers: their dependencies, the agent view they
// return, and the standard error answers.
import type { Logger } from 'pino';
import { PERMISSIONS, type AccountStore, type Agent, type Permission, type Role } from '../ports/account-store.js';
import { ErrorCode } from '../../../protocol/codes.js';
import type { AuthLimiters, RateDecision } from '../domain/rate-limit.js';
import type { TotpReplayGuard } from '../domain/totp.js';
import { errorBody, json, type HttpResponse } from './types.js';

export interface AuthConfig {
  /** false hides self-service signup (404); companies then come from the CLI */
  signupEnabled: boolean;
  /** adds `Secure` to the session cookie; true behind HTTPS */
  secureCookies: boolean;
  sessionTtlMs: number;
}

export interface AuthDeps {
  accounts: AccountStore;
  logger: Logger;
  config: AuthConfig;
  /** defaults to in-memory limiters (single node) on the same clock as `now` */
  limiter?: AuthLimiters;
  /** defaults to a fresh in-memory guard */
  totpGuard?: TotpReplayGuard;
  now?: () => number;
}

export interface AgentView {
  id: string;
  name: string;
  role: Role;
  permissions: Permission[];
}

/** What the console learns about the logged-in agent. The admin holds every permission (A5). */
export function agentView(agent: Agent): AgentView {
  return {
    id: agent.id,
    name: agent.name,
    role: agent.role,
    permissions: agent.role === 'admin' ? [...PERMISSIONS] : [...agent.permissions],
  };
}

export const badRequest = (message: string): HttpResponse => json(400, errorBody(ErrorCode.BadRequest, message));

export const unauthorized = (): HttpResponse => json(401, errorBody(ErrorCode.Unauthorized, 'not logged in'));

export function rateLimited(decision: RateDecision): HttpResponse {
  return json(
    429,
    { error: { code: ErrorCode.RateLimited, message: `too many attempts, retry in ${decision.retryAfterSec} s`, retryAfterSec: decision.retryAfterSec } },
    { headers: { 'retry-after': String(decision.retryAfterSec) } },
  );
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
