// A framework-free request/response shape: the gateway adapts uWS to it, so
// handlers are plain async functions that tests can call directly.
import type { Permission, Role } from '../ports/account-store.js';

export interface AuthContext {
  companyId: string;
  agentId: string;
  /** display name */
  name: string;
  sessionId: string;
  csrfToken: string;
  role: Role;
  permissions: Permission[];
}

export interface HttpRequest {
  method: string;
  /** path without query string, e.g. /api/v1/auth/login */
  path: string;
  /** route parameters, e.g. { id } for /api/v1/conversations/:id */
  params: Record<string, string>;
  query: URLSearchParams;
  /** lower-case header names */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  /** client IP after the trusted-proxy rule */
  ip: string;
  /** parsed JSON body (undefined when none); the gateway answers 400 on bad JSON */
  body: unknown;
  /** the unparsed body, set only for routes with `body: 'raw'` (empty Buffer when none) */
  rawBody?: Buffer;
  /** set by the gateway when a valid session cookie came with the request */
  auth: AuthContext | null;
}

export interface HttpResponse {
  status: number;
  /** serialised as JSON unless `raw` is set */
  body?: unknown;
  raw?: { contentType: string; data: string | Uint8Array };
  headers?: Record<string, string>;
  /** full Set-Cookie values */
  cookies?: string[];
}

export type Handler = (req: HttpRequest) => Promise<HttpResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** pattern with :params, e.g. /api/v1/conversations/:id/messages */
  path: string;
  /** 'session' = needs a logged-in agent; state-changing methods also need the CSRF header */
  auth: 'none' | 'session';
  handler: Handler;
  /** 'raw' hands the body over as req.rawBody without any Content-Type check (uploads). Default 'json'. */
  body?: 'json' | 'raw';
  /** Largest body accepted, else 413. Default 256 KB. */
  maxBodyBytes?: number;
}

export const json = (status: number, body: unknown, extra?: Partial<HttpResponse>): HttpResponse => ({ status, body, ...extra });
export const errorBody = (code: string, message: string) => ({ error: { code, message } });
