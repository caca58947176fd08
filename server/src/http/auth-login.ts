// POST /api/v1/auth/login (A1, A2, A4). Limits are applied before any password
// work, every "who are you" failure gets the same answer and costs the same
// argon2 verification, and each outcome is written to the login log.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AgentWithSecret } from '../ports/account-store.js';
import { PASSWORD_MAX, verifyAgainstDummy, verifyPassword } from '../domain/passwords.js';
import { combineDecisions, type AuthLimiters } from '../domain/rate-limit.js';
import { COMPANY_ID_PATTERN } from '../domain/company-ids.js';
import { sessionCookie } from '../domain/cookies.js';
import type { TotpReplayGuard } from '../domain/totp.js';
import { errorBody, json, type Handler, type HttpRequest, type HttpResponse } from './types.js';
import { agentView, badRequest, isRecord, rateLimited, type AuthDeps } from './auth-shared.js';

interface LoginBody {
  companyId: string;
  agentId: string;
  password: string;
  totp?: string;
}

function parseLogin(body: unknown): LoginBody | string {
  if (!isRecord(body)) return 'body must be a JSON object';
  const { companyId, agentId, password, totp } = body;
  if (typeof companyId !== 'string' || !COMPANY_ID_PATTERN.test(companyId)) return 'companyId must be a company ID';
  if (typeof agentId !== 'string' || agentId.length < 1 || agentId.length > 64) return 'agentId must be 1–64 characters';
  if (typeof password !== 'string' || password.length < 1 || [...password].length > PASSWORD_MAX) {
    return `password must be 1–${PASSWORD_MAX} characters`;
  }
  if (totp !== undefined && totp !== null && (typeof totp !== 'string' || totp.length > 16)) return 'totp must be a string';
  return { companyId, agentId, password, ...(typeof totp === 'string' && totp !== '' ? { totp: totp.trim() } : {}) };
}

type Verdict =
  | { kind: 'ok'; agent: AgentWithSecret }
  | { kind: 'totp_required' }
  | { kind: 'fail'; agent: AgentWithSecret | null; reason: string; message?: string };

const badCredentials = (message = 'company ID, agent ID or password is incorrect'): HttpResponse =>
  json(401, errorBody(ErrorCode.BadCredentials, message));

export function loginHandler(deps: AuthDeps & { limiter: AuthLimiters; totpGuard: TotpReplayGuard; now: () => number }): Handler {
  const { accounts, logger, config, limiter, totpGuard, now } = deps;

  /** Decides the attempt; failure slots are already reserved by the caller. */
  const judge = async (input: LoginBody, accountKey: string): Promise<Verdict> => {
    // Scoped by company: an unknown company simply has no such agent.
    const agent = await accounts.agentForLogin(input.companyId, input.agentId);
    if (!agent) {
      await verifyAgainstDummy(input.password);
      return { kind: 'fail', agent: null, reason: 'unknown agent' };
    }
    if (!(await verifyPassword(agent.passwordHash, input.password))) return { kind: 'fail', agent, reason: 'wrong password' };
    if (agent.disabled) return { kind: 'fail', agent, reason: 'disabled' };
    if (agent.totpSecret) {
      if (!input.totp) return { kind: 'totp_required' };
      if (!totpGuard.verify(accountKey, agent.totpSecret, input.totp, now())) {
        return { kind: 'fail', agent, reason: 'bad totp', message: 'dynamic password is incorrect or was already used' };
      }
    }
    return { kind: 'ok', agent };
  };

  return async (req: HttpRequest) => {
    const input = parseLogin(req.body);
    if (typeof input === 'string') return badRequest(input);
    const accountKey = `${input.companyId}:${input.agentId}`;

    // Each attempt reserves a failure slot before any password work and gives it
    // back on success, so parallel guesses cannot all slip past the limit.
    const ipGate = await limiter.loginIp.consume(req.ip);
    const accountGate = ipGate.allowed ? await limiter.loginAccount.consume(accountKey) : await limiter.loginAccount.check(accountKey);
    if (!ipGate.allowed || !accountGate.allowed) {
      if (ipGate.allowed) await limiter.loginIp.release(req.ip);
      logger.warn({ ip: req.ip, companyId: input.companyId, agentId: input.agentId }, 'login rate limited');
      return rateLimited(combineDecisions(ipGate, accountGate));
    }
    const releaseSlots = () => Promise.all([limiter.loginIp.release(req.ip), limiter.loginAccount.release(accountKey)]);

    let verdict: Verdict;
    try {
      verdict = await judge(input, accountKey);
    } catch (err) {
      // A store outage is not the client's failure: give the slots back.
      await releaseSlots();
      throw err;
    }

    if (verdict.kind === 'totp_required') {
      // The password was right, so saying a code is needed reveals nothing new.
      await releaseSlots();
      return json(401, errorBody('totp_required', 'dynamic password required'));
    }
    if (verdict.kind === 'fail') {
      const { agent, reason, message } = verdict;
      // Unknown companies/agents have no row to attach a log entry to.
      if (agent) await accounts.logLogin({ companyId: agent.companyId, agentId: agent.id, event: 'failed', ip: req.ip, type: 'console' });
      logger.info({ ip: req.ip, companyId: input.companyId, agentId: input.agentId, reason }, 'login failed');
      return badCredentials(message);
    }
    const { agent } = verdict;

    const session = await accounts.createSession({
      companyId: agent.companyId,
      agentId: agent.id,
      ttlMs: config.sessionTtlMs,
      ip: req.ip,
      userAgent: (req.headers['user-agent'] ?? '').slice(0, 512),
    });
    await accounts.logLogin({ companyId: agent.companyId, agentId: agent.id, event: 'login', ip: req.ip, type: 'console', sessionId: session.id });
    await Promise.all([limiter.loginIp.release(req.ip), limiter.loginAccount.reset(accountKey)]);
    logger.info({ ip: req.ip, companyId: agent.companyId, agentId: agent.id }, 'login');

    return json(
      200,
      { agent: agentView(agent), companyId: agent.companyId, csrfToken: session.csrfToken },
      { cookies: [sessionCookie(session.id, config.sessionTtlMs, { secure: config.secureCookies })] },
    );
  };
}
