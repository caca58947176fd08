// CustomerStore on Postgres: one row per customer, visitor ids in an array
// (GIN-indexed) so the chat side panel finds the record of the visitor.
import type { Customer, CustomerFields, CustomerStore } from '../../ports/customer-store.js';
import type { Gender } from '../../ports/evaluation-store.js';
import { withCompany, type Sql } from './with-company.js';

interface CustomerRow {
  id: string; name: string; gender: Gender; phone: string; email: string; org: string; remarks: string;
  visitor_ids: string[]; created_by: string; created_at: Date; updated_at: Date;
}

const validId = (id: string) => /^[0-9]{1,18}$/.test(id);

export class PgCustomerStore implements CustomerStore {
  constructor(private readonly sql: Sql) {}

  async get(companyId: string, id: string): Promise<Customer | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CustomerRow[]>`
      select * from customers where company_id = ${companyId} and id = ${id}`);
    return row ? toCustomer(row) : null;
  }

  async byVisitor(companyId: string, visitorId: string): Promise<Customer | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CustomerRow[]>`
      select * from customers where company_id = ${companyId} and visitor_ids @> ${[visitorId]}::text[]
       order by updated_at desc, id desc limit 1`);
    return row ? toCustomer(row) : null;
  }

  async create(companyId: string, createdBy: string, f: CustomerFields, visitorIds: string[]): Promise<Customer> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CustomerRow[]>`
      insert into customers (company_id, name, gender, phone, email, org, remarks, visitor_ids, created_by)
      values (${companyId}, ${f.name}, ${f.gender}, ${f.phone}, ${f.email}, ${f.org}, ${f.remarks}, ${visitorIds}::text[], ${createdBy})
      returning *`);
    return toCustomer(row!);
  }

  async update(companyId: string, id: string, f: CustomerFields, addVisitorIds: string[]): Promise<Customer | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CustomerRow[]>`
      update customers set name = ${f.name}, gender = ${f.gender}, phone = ${f.phone}, email = ${f.email}, org = ${f.org},
             remarks = ${f.remarks}, updated_at = now(),
             visitor_ids = array(select distinct unnest(visitor_ids || ${addVisitorIds}::text[]) order by 1)
       where company_id = ${companyId} and id = ${id} returning *`);
    return row ? toCustomer(row) : null;
  }

  async remove(companyId: string, id: string): Promise<boolean> {
    if (!validId(id)) return false;
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      delete from customers where company_id = ${companyId} and id = ${id} returning id`);
    return rows.length > 0;
  }
}

function toCustomer(r: CustomerRow): Customer {
  return {
    id: String(r.id), name: r.name, gender: r.gender, phone: r.phone, email: r.email, org: r.org, remarks: r.remarks,
    visitorIds: r.visitor_ids, createdBy: r.created_by, createdAt: r.created_at.getTime(), updatedAt: r.updated_at.getTime(),
  };
}
