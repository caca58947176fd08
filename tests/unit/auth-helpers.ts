// Fixture for the auth route tests: memory store, fake clock, silent logger, and
// a way to call a route's handler by method and path.
import pino from 'pino';
import { MemoryAccountStore } from '../../server/src/adapters/memory/account-store.js';
import { authRoutes, type AuthConfig } from '../../server/src/http/auth-routes.js';
import type { AuthContext, HttpRequest, HttpResponse, Route } from '../../server/src/http/types.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';
import { sessionAuthenticator } from '../../server/src/runtime/authenticate.js';

export const PASSWORD = 'correct horse battery';

export class FakeClock {
  constructor(public t = Date.UTC(2026, 0, 5, 9, 0, 0)) {}
  now = () => this.t;
  advance(ms: number) { this.t += ms; }
}

export async function authFixture(config: Partial<AuthConfig> = {}) {
  const clock = new FakeClock();
  const accounts = new MemoryAccountStore({ now: clock.now });
  const routes = authRoutes({
    accounts,
    logger: pino({ level: 'silent' }),
    config: { signupEnabled: true, secureCookies: false, sessionTtlMs: 8 * 3600_000, ...config },
    now: clock.now,
    totpSecrets: accounts,
  });
  const { company, admin } = await createCompanyWithAdmin(accounts, { name: 'Acme', adminName: 'Alice', password: PASSWORD });

  const call = (method: Route['method'], path: string, init: Partial<HttpRequest> = {}): Promise<HttpResponse> => {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    return route.handler({
      method, path, params: {}, query: new URLSearchParams(), headers: {}, cookies: {}, ip: '203.0.113.7', body: undefined, auth: null,
      ...init,
    });
  };

  const login = (body: Record<string, unknown>, ip = '203.0.113.7') => call('POST', '/api/v1/auth/login', { body, ip });

  /** Resolves a session id into req.auth with the gateway's own authenticator. */
  const authFor: (sessionId: string) => Promise<AuthContext | null> = sessionAuthenticator(accounts);

  return { clock, accounts, routes, call, login, authFor, company, admin };
}

export function sessionIdFrom(res: HttpResponse): string {
  const cookie = res.cookies?.find((c) => c.startsWith('sb_session='));
  const id = cookie?.split(';')[0]?.slice('sb_session='.length);
  if (!id) throw new Error('no session cookie');
  return id;
}

export function errorCode(res: HttpResponse): string | undefined {
  return (res.body as { error?: { code?: string } } | undefined)?.error?.code;
}
