// Account routes: login, logout, who-am-I, and self-service company signup.
import { ErrorCode } from '../../../protocol/codes.js';
import { createMemoryAuthLimiters } from '../domain/rate-limit.js';
import { TotpReplayGuard } from '../domain/totp.js';
import { clearSessionCookie } from '../domain/cookies.js';
import { createCompanyWithAdmin, parseNewCompany } from '../domain/signup.js';
import { errorBody, json, type Handler, type Route } from './types.js';
import { loginHandler } from './auth-login.js';
import { totpRoutes, type TotpSecretStore } from './auth-totp-routes.js';
import { agentView, badRequest, isRecord, rateLimited, unauthorized, type AuthDeps } from './auth-shared.js';

export type { AuthConfig, AuthDeps, AgentView } from './auth-shared.js';
export type { TotpSecretStore } from './auth-totp-routes.js';

/** With `totpSecrets`, the A2 bind/unbind routes under /api/v1/auth/totp are included. */
export function authRoutes(deps: AuthDeps & { totpSecrets?: TotpSecretStore }): Route[] {
  const now = deps.now ?? Date.now;
  const full = {
    ...deps,
    now,
    limiter: deps.limiter ?? createMemoryAuthLimiters(now),
    totpGuard: deps.totpGuard ?? new TotpReplayGuard(),
  };
  return [
    { method: 'POST', path: '/api/v1/auth/login', auth: 'none', handler: loginHandler(full) },
    { method: 'POST', path: '/api/v1/auth/logout', auth: 'session', handler: logoutHandler(full) },
    { method: 'GET', path: '/api/v1/auth/me', auth: 'session', handler: meHandler(full) },
    { method: 'GET', path: '/api/v1/signup', auth: 'none', handler: async () => json(200, { enabled: deps.config.signupEnabled }) },
    { method: 'POST', path: '/api/v1/signup', auth: 'none', handler: signupHandler(full) },
    ...(deps.totpSecrets ? totpRoutes({ ...full, totpSecrets: deps.totpSecrets }) : []),
  ];
}

function logoutHandler({ accounts, logger, config }: AuthDeps): Handler {
  return async (req) => {
    const auth = req.auth;
    if (!auth) return unauthorized();
    await accounts.deleteSession(auth.sessionId);
    await accounts.logLogin({ companyId: auth.companyId, agentId: auth.agentId, event: 'logout', ip: req.ip, type: 'console', sessionId: auth.sessionId });
    logger.info({ ip: req.ip, companyId: auth.companyId, agentId: auth.agentId }, 'logout');
    return json(200, { ok: true }, { cookies: [clearSessionCookie({ secure: config.secureCookies })] });
  };
}

function meHandler({ accounts }: AuthDeps): Handler {
  return async (req) => {
    const auth = req.auth;
    if (!auth) return unauthorized();
    // Re-read the agent: a rename or a new permission shows without logging in again.
    const agent = await accounts.agent(auth.companyId, auth.agentId);
    if (!agent || agent.disabled) return unauthorized();
    return json(200, { agent: agentView(agent), companyId: auth.companyId, csrfToken: auth.csrfToken });
  };
}

function signupHandler({ accounts, logger, config, limiter }: AuthDeps & Required<Pick<AuthDeps, 'limiter'>>): Handler {
  return async (req) => {
    // Operators who disable signup get a route that looks absent.
    if (!config.signupEnabled) return json(404, errorBody(ErrorCode.NotFound, 'not found'));
    // Every attempt counts, valid or not: signup creates rows and costs a hash.
    const gate = await limiter.signupIp.consume(req.ip);
    if (!gate.allowed) return rateLimited(gate);

    const body = req.body;
    if (!isRecord(body)) return badRequest('body must be a JSON object');
    const input = parseNewCompany({ name: body.companyName, adminName: body.adminName, agentId: body.agentId, password: body.password });
    if (typeof input === 'string') return badRequest(input);

    const { company, admin } = await createCompanyWithAdmin(accounts, input);
    logger.info({ ip: req.ip, companyId: company.id }, 'company signed up');
    return json(201, { companyId: company.id, agentId: admin.id });
  };
}
