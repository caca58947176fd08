// Liveness/readiness and Prometheus metrics for operators.
import type { Registry } from 'prom-client';
import type { Route } from './types.js';

export interface HealthCheck { name: string; check(): Promise<boolean> }

export function healthRoutes(deps: { checks: HealthCheck[]; registry: Registry }): Route[] {
  return [
    {
      method: 'GET', path: '/healthz', auth: 'none',
      handler: async () => {
        const results = await Promise.all(deps.checks.map(async (c) => {
          try { return [c.name, (await withTimeout(c.check(), 2000)) ? 'ok' : 'down'] as const; } catch { return [c.name, 'down'] as const; }
        }));
        const ok = results.every(([, s]) => s === 'ok');
        return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', checks: Object.fromEntries(results) } };
      },
    },
    {
      method: 'GET', path: '/metrics', auth: 'none',
      handler: async () => ({ status: 200, raw: { contentType: deps.registry.contentType, data: await deps.registry.metrics() } }),
    },
  ];
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
