// A2 binding and unbinding a TOTP dynamic password for the logged-in agent.
// Setup is stateless: the server proposes a secret, the agent scans it and sends
// it back with a code from the app; only a secret proven by a valid code is stored.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore } from '../ports/account-store.js';
import { verifyPassword } from '../domain/passwords.js';
import { generateTotpSecret, totpUri, type TotpReplayGuard } from '../domain/totp.js';
import type { AuthLimiters } from '../domain/rate-limit.js';
import { errorBody, json, type Handler, type Route } from './types.js';
import { badRequest, isRecord, rateLimited, unauthorized, type AuthDeps } from './auth-shared.js';

/** The one write the account port still lacks for A2; the memory store has it. */
export interface TotpSecretStore {
  /** null unbinds */
  setTotpSecret(companyId: string, agentId: string, secret: string | null): Promise<void>;
}

export const TOTP_ISSUER = 'Switchboard';
const BASE32_SECRET = /^[A-Z2-7]{16,64}$/;
const CODE = /^\d{6}$/;

type TotpDeps = AuthDeps & { totpSecrets: TotpSecretStore; limiter: AuthLimiters; totpGuard: TotpReplayGuard; now: () => number };

export function totpRoutes(deps: TotpDeps): Route[] {
  return [
    { method: 'GET', path: '/api/v1/auth/totp', auth: 'session', handler: statusHandler(deps.accounts) },
    { method: 'POST', path: '/api/v1/auth/totp/setup', auth: 'session', handler: setupHandler() },
    { method: 'POST', path: '/api/v1/auth/totp/bind', auth: 'session', handler: bindHandler(deps) },
    { method: 'POST', path: '/api/v1/auth/totp/unbind', auth: 'session', handler: unbindHandler(deps) },
  ];
}

function statusHandler(accounts: AccountStore): Handler {
  return async (req) => {
    if (!req.auth) return unauthorized();
    const agent = await accounts.agentForLogin(req.auth.companyId, req.auth.agentId);
    if (!agent) return unauthorized();
    return json(200, { bound: agent.totpSecret !== null });
  };
}

function setupHandler(): Handler {
  return async (req) => {
    if (!req.auth) return unauthorized();
    const secret = generateTotpSecret();
    return json(200, { secret, uri: totpUri({ secret, issuer: TOTP_ISSUER, label: `${req.auth.agentId}@${req.auth.companyId}` }) });
  };
}

function bindHandler({ accounts, totpSecrets, totpGuard, logger, now }: TotpDeps): Handler {
  return async (req) => {
    const auth = req.auth;
    if (!auth) return unauthorized();
    const body = req.body;
    if (!isRecord(body) || typeof body.secret !== 'string' || !BASE32_SECRET.test(body.secret)) return badRequest('secret must be the base32 secret from setup');
    if (typeof body.code !== 'string' || !CODE.test(body.code)) return badRequest('code must be 6 digits');
    const agent = await accounts.agentForLogin(auth.companyId, auth.agentId);
    if (!agent) return unauthorized();
    if (agent.totpSecret) return json(409, errorBody(ErrorCode.Conflict, 'a dynamic password is already bound; unbind it first'));
    // Consuming the step here also stops the same code from being replayed at login.
    if (!totpGuard.verify(`${auth.companyId}:${auth.agentId}`, body.secret, body.code, now())) {
      return json(400, errorBody(ErrorCode.BadRequest, 'the code does not match this secret; check the phone clock'));
    }
    await totpSecrets.setTotpSecret(auth.companyId, auth.agentId, body.secret);
    logger.info({ companyId: auth.companyId, agentId: auth.agentId }, 'totp bound');
    return json(200, { bound: true });
  };
}

function unbindHandler({ accounts, totpSecrets, totpGuard, limiter, logger, now }: TotpDeps): Handler {
  return async (req) => {
    const auth = req.auth;
    if (!auth) return unauthorized();
    const body = req.body;
    if (!isRecord(body) || typeof body.password !== 'string' || body.password.length < 1 || body.password.length > 512) {
      return badRequest('password is required');
    }
    if (typeof body.code !== 'string' || !CODE.test(body.code)) return badRequest('code must be 6 digits');
    const accountKey = `${auth.companyId}:${auth.agentId}`;
    // A stolen session must not become a password oracle: share the login budget.
    const gate = await limiter.loginAccount.consume(accountKey);
    if (!gate.allowed) return rateLimited(gate);

    const agent = await accounts.agentForLogin(auth.companyId, auth.agentId);
    if (!agent) return unauthorized();
    if (!agent.totpSecret) {
      await limiter.loginAccount.release(accountKey);
      return json(409, errorBody(ErrorCode.Conflict, 'no dynamic password is bound'));
    }
    const ok = (await verifyPassword(agent.passwordHash, body.password)) && totpGuard.verify(accountKey, agent.totpSecret, body.code, now());
    if (!ok) return json(401, errorBody(ErrorCode.BadCredentials, 'password or dynamic password is incorrect'));
    await limiter.loginAccount.release(accountKey);
    await totpSecrets.setTotpSecret(auth.companyId, auth.agentId, null);
    logger.info({ companyId: auth.companyId, agentId: auth.agentId }, 'totp unbound');
    return json(200, { bound: false });
  };
}
