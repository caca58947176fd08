// E11 basic customer record for the chat side panel: found by visitor id,
// viewed with 'customers_view', created and edited with 'customers_edit'.
import type { CustomerFields, CustomerStore } from '../ports/customer-store.js';
import { GENDERS } from '../ports/evaluation-store.js';
import { json, type Route } from './types.js';
import { can, FieldError, forbidden, notFound, oneOf, readBody, str } from './tool-route-helpers.js';

const VISITOR_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readFields(b: Record<string, unknown>): CustomerFields {
  const email = str(b, 'email', 200);
  if (email && !EMAIL.test(email)) throw new FieldError('email is not an e-mail address');
  const phone = str(b, 'phone', 40);
  if (phone && !/^[0-9+\-() ]{3,40}$/.test(phone)) throw new FieldError('phone may hold digits, spaces and + - ( )');
  return { name: str(b, 'name', 100), gender: oneOf(b, 'gender', GENDERS, ''), phone, email, org: str(b, 'org', 200), remarks: str(b, 'remarks', 2000) };
}

function readVisitorIds(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 20 || !v.every((x) => typeof x === 'string' && VISITOR_ID.test(x))) {
    throw new FieldError('visitorIds must be up to 20 visitor ids');
  }
  return [...new Set(v as string[])];
}

export function customerRoutes(deps: { store: CustomerStore }): Route[] {
  const { store } = deps;
  const noView = () => forbidden('needs the customers_view permission');
  const noEdit = () => forbidden('needs the customers_edit permission');
  return [
    {
      method: 'GET', path: '/api/v1/customers/by-visitor/:visitorId', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'customers_view')) return noView();
        return json(200, { customer: await store.byVisitor(auth.companyId, req.params.visitorId ?? '') });
      },
    },
    {
      method: 'GET', path: '/api/v1/customers/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'customers_view')) return noView();
        const customer = await store.get(auth.companyId, req.params.id ?? '');
        return customer ? json(200, { customer }) : notFound('customer');
      },
    },
    {
      method: 'POST', path: '/api/v1/customers', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'customers_edit')) return noEdit();
        const r = readBody(req.body, (b) => ({ fields: readFields(b), visitorIds: readVisitorIds(b.visitorIds) }));
        if ('error' in r) return r.error;
        return json(201, { customer: await store.create(auth.companyId, auth.agentId, r.value.fields, r.value.visitorIds) });
      },
    },
    {
      method: 'PUT', path: '/api/v1/customers/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'customers_edit')) return noEdit();
        const r = readBody(req.body, (b) => ({ fields: readFields(b), add: readVisitorIds(b.addVisitorIds) }));
        if ('error' in r) return r.error;
        const customer = await store.update(auth.companyId, req.params.id ?? '', r.value.fields, r.value.add);
        return customer ? json(200, { customer }) : notFound('customer');
      },
    },
    {
      method: 'DELETE', path: '/api/v1/customers/:id', auth: 'session',
      handler: async (req) => {
        const auth = req.auth!;
        if (!can(auth, 'customers_edit')) return noEdit();
        return (await store.remove(auth.companyId, req.params.id ?? '')) ? { status: 204 } : notFound('customer');
      },
    },
  ];
}
