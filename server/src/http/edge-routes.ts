// C3 IP blocks and C4 service regions, for the console. Needs an agent session
// with the 'blocking' (blocks) or 'settings' (regions) permission; admins have
// all. Every change invalidates the company's rules in the EdgeGuard.
import { ErrorCode } from '../../../protocol/codes.js';
import type { AuthContext } from './types.js';
import type { Permission } from '../ports/account-store.js';
import type { EdgeStore, ServiceRegions } from '../ports/edge-store.js';
import { formatIp, parseCidr } from '../domain/edge/cidr.js';
import type { EdgeGuard } from '../runtime/edge-guard.js';
import { errorBody, json, type HttpResponse, type Route } from './types.js';

const MAX_REGIONS = 200;
const MAX_BLOCKS = 5000;

const can = (auth: AuthContext, p: Permission) => auth.role === 'admin' || auth.permissions.includes(p);
const forbidden = (p: Permission) => json(403, errorBody(ErrorCode.Forbidden, `needs the ${p} permission`));
const bad = (message: string): HttpResponse => json(400, errorBody(ErrorCode.BadRequest, message));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "10.1.0.0/16" / "2001:db8::/32" / "1.2.3.4" in canonical spelling, or null. */
export function canonicalTarget(input: string): string | null {
  const c = parseCidr(input);
  if (!c) return null;
  const host = formatIp(c);
  return c.prefix === (c.version === 4 ? 32 : 128) ? host : `${host}/${c.prefix}`;
}

export function edgeRoutes(deps: { store: EdgeStore; guard: EdgeGuard; clock?: () => number }): Route[] {
  const clock = deps.clock ?? Date.now;
  return [
    {
      method: 'GET', path: '/api/v1/blocks', auth: 'session',
      handler: async (req) => {
        if (!can(req.auth!, 'blocking')) return forbidden('blocking');
        return json(200, { items: await deps.store.listBlocks(req.auth!.companyId) });
      },
    },
    {
      method: 'POST', path: '/api/v1/blocks', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'blocking')) return forbidden('blocking');
        const b = req.body;
        if (!isObject(b)) return bad('send { target, kind, until? }');
        const target = typeof b.target === 'string' ? canonicalTarget(b.target) : null;
        if (!target) return bad('target must be an IP address or CIDR (host bits zero)');
        if (b.kind !== 'visitor' && b.kind !== 'chat') return bad('kind must be visitor or chat');
        let until: number | null = null;
        if (b.until !== undefined && b.until !== null) {
          until = typeof b.until === 'number' ? b.until : typeof b.until === 'string' ? Date.parse(b.until) : NaN;
          if (!Number.isSafeInteger(until)) return bad('until must be epoch milliseconds, an ISO time, or null');
          if (until <= clock()) return bad('until must be in the future');
        }
        if ((await deps.store.listBlocks(auth.companyId)).length >= MAX_BLOCKS) return bad(`at most ${MAX_BLOCKS} blocks`);
        const block = await deps.store.addBlock(auth.companyId, { target, kind: b.kind, until, createdBy: auth.agentId });
        deps.guard.invalidate(auth.companyId);
        return json(201, { block });
      },
    },
    {
      method: 'DELETE', path: '/api/v1/blocks/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'blocking')) return forbidden('blocking');
        const removed = await deps.store.removeBlock(auth.companyId, req.params.id ?? '');
        if (!removed) return json(404, errorBody(ErrorCode.NotFound, 'block not found'));
        deps.guard.invalidate(auth.companyId);
        return { status: 204 };
      },
    },
    {
      method: 'GET', path: '/api/v1/service-regions', auth: 'session',
      handler: async (req) => {
        if (!can(req.auth!, 'settings')) return forbidden('settings');
        return json(200, await deps.store.serviceRegions(req.auth!.companyId));
      },
    },
    {
      method: 'PUT', path: '/api/v1/service-regions', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'settings')) return forbidden('settings');
        const b = req.body;
        if (!isObject(b)) return bad('send { mode, regions, deniedIcon }');
        if (b.mode !== 'off' && b.mode !== 'allow' && b.mode !== 'deny') return bad('mode must be off, allow or deny');
        if (b.deniedIcon !== 'hidden' && b.deniedIcon !== 'disabled') return bad('deniedIcon must be hidden or disabled');
        const regions = b.regions;
        if (!Array.isArray(regions) || regions.length > MAX_REGIONS
          || !regions.every((r) => typeof r === 'string' && r.trim().length >= 1 && r.length <= 64)) {
          return bad(`regions must be up to ${MAX_REGIONS} names of 1–64 characters`);
        }
        const rule: ServiceRegions = { mode: b.mode, regions: [...new Set(regions.map((r: string) => r.trim()))], deniedIcon: b.deniedIcon };
        await deps.store.saveServiceRegions(auth.companyId, rule);
        deps.guard.invalidate(auth.companyId);
        return json(200, rule);
      },
    },
  ];
}
