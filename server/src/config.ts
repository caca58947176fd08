// Configuration from environment variables, validated once at start-up. Every bad
// value is reported at once with the variable name, so an operator fixes all in one go.
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  publicUrl: string;
  databaseUrl: string | null;
  clickhouseUrl: string | null;
  redisUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustedProxies: string[];
  signupEnabled: boolean;
  seedDemo: boolean;
  sessionTtlMs: number;
  agentGraceMs: number;
  visitorGraceMs: number;
  embeddedPgPort: number;
  /** raw uWS echo endpoint for load-test baselines; off in production */
  echoEndpoint: boolean;
  secureCookies: boolean;
  /** commit window for grouped message writes */
  groupCommitMs: number;
  /** message batches in flight at once (each a lane of conversations holding one connection); see group-commit.ts */
  groupCommitLanes: number;
  /** widget tracking beacons per minute (0 = no limit) */
  trackLimitPerIp: number;
  trackLimitPerVisitor: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string, fallback: string) => (env[name] ?? '').trim() || fallback;
  const opt = (name: string) => (env[name] ?? '').trim() || null;

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = (env[name] ?? '').trim();
    if (raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = (env[name] ?? '').trim().toLowerCase();
    if (raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
    return fallback;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = opt(name);
    if (raw === null) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must start with ${protocols.map((p) => p + '//').join(' or ')}`);
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const port = int('PORT', 8080, 0, 65535);
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = str('LOG_LEVEL', 'info') as Config['logLevel'];
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')}`);

  const trustedProxies = (env.TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of trustedProxies) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p)) problems.push(`TRUSTED_PROXIES entry ${JSON.stringify(p)} is not an IP or CIDR`);
  }

  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;

  const config: Config = {
    host: str('HOST', '0.0.0.0'),
    port,
    dataDir: path.resolve(cwd, str('DATA_DIR', 'data')),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    clickhouseUrl: url('CLICKHOUSE_URL', ['http:', 'https:']),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    logLevel,
    trustedProxies,
    signupEnabled: bool('SIGNUP_ENABLED', true),
    seedDemo: bool('SEED_DEMO', true),
    sessionTtlMs: int('SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3_600_000,
    agentGraceMs: int('AGENT_GRACE_SECONDS', 60, 0, 3600) * 1000,
    visitorGraceMs: int('VISITOR_GRACE_SECONDS', 60, 0, 3600) * 1000,
    embeddedPgPort: int('EMBEDDED_PG_PORT', 5433, 1024, 65535),
    echoEndpoint: bool('ECHO_ENDPOINT', false),
    secureCookies: bool('SECURE_COOKIES', publicUrl.startsWith('https:')),
    groupCommitMs: int('GROUP_COMMIT_MS', 2, 0, 100),
    groupCommitLanes: int('GROUP_COMMIT_LANES', 2, 1, 16),
    trackLimitPerIp: int('TRACK_LIMIT_PER_IP', 1200, 0, 1_000_000),
    trackLimitPerVisitor: int('TRACK_LIMIT_PER_VISITOR', 120, 0, 1_000_000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
