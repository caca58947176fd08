// E11 basic customer record, found by visitor id.
import type { Gender } from './evaluation';
import { request } from './http';

export interface CustomerFields { name: string; gender: Gender; phone: string; email: string; org: string; remarks: string }
export interface Customer extends CustomerFields { id: string; visitorIds: string[]; createdBy: string; createdAt: number; updatedAt: number }

export const customerByVisitor = (visitorId: string) =>
  request<{ customer: Customer | null }>('GET', `/api/v1/customers/by-visitor/${encodeURIComponent(visitorId)}`);
export const createCustomer = (fields: CustomerFields, visitorIds: string[]) =>
  request<{ customer: Customer }>('POST', '/api/v1/customers', { body: { ...fields, visitorIds } });
export const updateCustomer = (id: string, fields: CustomerFields, addVisitorIds: string[] = []) =>
  request<{ customer: Customer }>('PUT', `/api/v1/customers/${encodeURIComponent(id)}`, { body: { ...fields, addVisitorIds } });
