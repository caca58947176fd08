// Configuration is validated once, with every bad value named.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.js';

describe('config', () => {
  it('has working defaults with an empty environment', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(c.databaseUrl).toBeNull();
    expect(c.agentGraceMs).toBe(60_000);
    expect(c.secureCookies).toBe(false);
  });

  it('reports every bad value at once, by name', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SIGNUP_ENABLED: 'maybe', TRUSTED_PROXIES: '10.0.0.0/8, not-an-ip', PUBLIC_URL: '::::' });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'SIGNUP_ENABLED', 'TRUSTED_PROXIES', 'PUBLIC_URL']) expect(problems).toContain(name);
  });

  it('reads servers, proxies and switches', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/sb', CLICKHOUSE_URL: 'http://ch:8123', REDIS_URL: 'redis://r:6379', PUBLIC_URL: 'https://chat.example.com/',
      TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16', SIGNUP_ENABLED: 'off', AGENT_GRACE_SECONDS: '5',
    });
    expect(c.databaseUrl).toBe('postgres://u@db/sb');
    expect(c.clickhouseUrl).toBe('http://ch:8123');
    expect(c.redisUrl).toBe('redis://r:6379');
    expect(c.publicUrl).toBe('https://chat.example.com');
    expect(c.secureCookies).toBe(true);
    expect(c.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(c.signupEnabled).toBe(false);
    expect(c.agentGraceMs).toBe(5000);
  });
});
