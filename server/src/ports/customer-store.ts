// A basic customer record (E11), linked to the visitor ids it was seen as.
// The full CRM comes later. Every method is scoped to a company.
import type { Gender } from './evaluation-store.js';

export interface CustomerFields {
  name: string;
  gender: Gender;
  phone: string;
  email: string;
  /** the customer's company */
  org: string;
  remarks: string;
}

export interface Customer extends CustomerFields {
  id: string;
  visitorIds: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerStore {
  get(companyId: string, id: string): Promise<Customer | null>;
  /** the newest customer linked to this visitor id */
  byVisitor(companyId: string, visitorId: string): Promise<Customer | null>;
  create(companyId: string, createdBy: string, fields: CustomerFields, visitorIds: string[]): Promise<Customer>;
  update(companyId: string, id: string, fields: CustomerFields, addVisitorIds: string[]): Promise<Customer | null>;
  remove(companyId: string, id: string): Promise<boolean>;
}
