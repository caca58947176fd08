// E5 canned responses and E6 common links for the console. Company items
// (scope 'company') need the 'canned_responses' permission to change; personal
// items belong to the agent and are invisible (404) to everyone else.
import type { AuthContext } from './types.js';
import type { CannedInput, CannedStore } from '../ports/canned-store.js';
import { json, type HttpResponse, type Route } from './types.js';
import { bad, can, forbidden, notFound, readBody, str, FieldError } from './tool-route-helpers.js';
import { readCannedCsv, toCsv } from './canned-csv.js';

const MAX_ITEMS = 2000;
const MAX_IMPORT = 1000;

type Scope = 'company' | 'personal';
const ownerFor = (auth: AuthContext, scope: Scope) => (scope === 'company' ? null : auth.agentId);

function readScope(v: unknown): Scope {
  if (v === undefined || v === 'personal') return 'personal';
  if (v === 'company') return 'company';
  throw new FieldError('scope must be company or personal');
}

function readCanned(b: Record<string, unknown>): CannedInput {
  const sort = b.sort ?? 0;
  if (typeof sort !== 'number' || !Number.isSafeInteger(sort) || Math.abs(sort) > 1e6) throw new FieldError('sort must be an integer');
  return { category: str(b, 'category', 40, { required: true }), title: str(b, 'title', 100), text: str(b, 'text', 2000, { required: true }), sort };
}

function readLink(b: Record<string, unknown>): { title: string; url: string } {
  const title = str(b, 'title', 100, { required: true });
  const raw = str(b, 'url', 2000, { required: true });
  let url: URL;
  try { url = new URL(raw); } catch { throw new FieldError('url must be an absolute http(s) address'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FieldError('url must be http or https');
  return { title, url: url.href };
}

/** null = may change; else the answer to give. Someone else's personal item is "not found". */
/** Company items are visible to all agents of the company; personal ones to their owner only. */
const visible = (auth: AuthContext, ownerId: string | null) => ownerId === null || ownerId === auth.agentId;

function mayChange(auth: AuthContext, ownerId: string | null) {
  if (ownerId === null) return can(auth, 'canned_responses') ? null : forbidden('company items need the canned_responses permission');
  return ownerId === auth.agentId ? null : notFound('item');
}

export function cannedRoutes(deps: { store: CannedStore }): Route[] {
  const { store } = deps;
  return [
    {
      method: 'GET', path: '/api/v1/canned-responses', auth: 'session',
      handler: async (req) => json(200, { items: await store.list(req.auth!.companyId, req.auth!.agentId) }),
    },
    {
      method: 'POST', path: '/api/v1/canned-responses', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const r = readBody(req.body, (b) => ({ scope: readScope(b.scope), input: readCanned(b) }));
        if ('error' in r) return r.error;
        const owner = ownerFor(auth, r.value.scope);
        const refused = mayChange(auth, owner);
        if (refused) return refused;
        if ((await store.list(auth.companyId, auth.agentId)).length >= MAX_ITEMS) return bad(`at most ${MAX_ITEMS} canned responses`);
        return json(201, { item: await store.create(auth.companyId, owner, r.value.input) });
      },
    },
    ...editRoutes('/api/v1/canned-responses/:id', 'canned response', {
      get: (c, id) => store.get(c, id), read: readCanned,
      update: (c, id, v) => store.update(c, id, v), remove: (c, id) => store.remove(c, id),
    }),
    {
      method: 'GET', path: '/api/v1/canned-responses/export', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        let scope: Scope;
        try { scope = readScope(req.query.get('scope') ?? undefined); } catch (err) { return bad((err as Error).message); }
        const owner = ownerFor(auth, scope);
        const rows = (await store.list(auth.companyId, auth.agentId)).filter((i) => i.ownerId === owner);
        return {
          status: 200,
          raw: { contentType: 'text/csv; charset=utf-8', data: toCsv(rows) },
          headers: { 'content-disposition': `attachment; filename="canned-${scope}.csv"` },
        };
      },
    },
    {
      method: 'POST', path: '/api/v1/canned-responses/import', auth: 'session', maxBodyBytes: 1024 * 1024,
      handler: async (req) => {
        const auth = req.auth!;
        const r = readBody(req.body, (b) => ({ scope: readScope(b.scope), csv: str(b, 'csv', 900_000, { required: true }) }));
        if ('error' in r) return r.error;
        const owner = ownerFor(auth, r.value.scope);
        const refused = mayChange(auth, owner);
        if (refused) return refused;
        let rows;
        try { rows = readCannedCsv(r.value.csv); } catch (err) { return bad((err as Error).message); }
        if (rows.length > MAX_IMPORT) return bad(`at most ${MAX_IMPORT} rows per import`);
        const inputs: CannedInput[] = [];
        for (const [i, row] of rows.entries()) {
          const v = readBody(row, readCanned);
          if ('error' in v) return bad(`line ${i + 2}: ${(v.error.body as { error: { message: string } }).error.message}`);
          inputs.push(v.value);
        }
        return json(200, { imported: await store.createMany(auth.companyId, owner, inputs) });
      },
    },
    {
      method: 'GET', path: '/api/v1/common-links', auth: 'session',
      handler: async (req) => json(200, { items: await store.listLinks(req.auth!.companyId, req.auth!.agentId) }),
    },
    {
      method: 'POST', path: '/api/v1/common-links', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        const r = readBody(req.body, (b) => ({ scope: readScope(b.scope), input: readLink(b) }));
        if ('error' in r) return r.error;
        const owner = ownerFor(auth, r.value.scope);
        const refused = mayChange(auth, owner);
        if (refused) return refused;
        if ((await store.listLinks(auth.companyId, auth.agentId)).length >= MAX_ITEMS) return bad(`at most ${MAX_ITEMS} links`);
        return json(201, { item: await store.createLink(auth.companyId, owner, r.value.input) });
      },
    },
    ...editRoutes('/api/v1/common-links/:id', 'link', {
      get: (c, id) => store.getLink(c, id), read: readLink,
      update: (c, id, v) => store.updateLink(c, id, v), remove: (c, id) => store.removeLink(c, id),
    }),
  ];
}

/** PUT and DELETE of one owned item (canned response or link): same visibility and change rules. */
function editRoutes<T>(path: string, noun: string, ops: {
  get(companyId: string, id: string): Promise<{ id: string; ownerId: string | null } | null>;
  read(b: Record<string, unknown>): T;
  update(companyId: string, id: string, value: T): Promise<unknown>;
  remove(companyId: string, id: string): Promise<unknown>;
}): Route[] {
  type Owned = { error: HttpResponse } | { item: { id: string; ownerId: string | null } };
  const owned = async (auth: AuthContext, id: string): Promise<Owned> => {
    const item = await ops.get(auth.companyId, id);
    if (!item || !visible(auth, item.ownerId)) return { error: notFound(noun) };
    const refused = mayChange(auth, item.ownerId);
    return refused ? { error: refused } : { item };
  };
  return [
    {
      method: 'PUT', path, auth: 'session',
      handler: async (req) => {
        const o = await owned(req.auth!, req.params.id ?? '');
        if ('error' in o) return o.error;
        const r = readBody(req.body, ops.read);
        if ('error' in r) return r.error;
        return json(200, { item: await ops.update(req.auth!.companyId, o.item.id, r.value) });
      },
    },
    {
      method: 'DELETE', path, auth: 'session',
      handler: async (req) => {
        const o = await owned(req.auth!, req.params.id ?? '');
        if ('error' in o) return o.error;
        await ops.remove(req.auth!.companyId, o.item.id);
        return { status: 204 };
      },
    },
  ];
}
