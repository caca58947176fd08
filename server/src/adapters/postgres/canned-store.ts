// CannedStore on Postgres: canned_responses and common_links, in withCompany().
import type { CannedInput, CannedResponse, CannedStore, CommonLink } from '../../ports/canned-store.js';
import { withCompany, type Sql } from './with-company.js';

interface CannedRow { id: string; owner_id: string | null; category: string; title: string; text: string; sort: number; updated_at: Date }
interface LinkRow { id: string; owner_id: string | null; title: string; url: string }

/** ids are bigint identities: anything else cannot name a row */
const validId = (id: string) => /^[0-9]{1,18}$/.test(id);

export class PgCannedStore implements CannedStore {
  constructor(private readonly sql: Sql) {}

  async list(companyId: string, agentId: string): Promise<CannedResponse[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<CannedRow[]>`
      select * from canned_responses
       where company_id = ${companyId} and (owner_id is null or owner_id = ${agentId})
       order by category, sort, id`);
    return rows.map(toCanned);
  }

  async get(companyId: string, id: string): Promise<CannedResponse | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CannedRow[]>`
      select * from canned_responses where company_id = ${companyId} and id = ${id}`);
    return row ? toCanned(row) : null;
  }

  async create(companyId: string, ownerId: string | null, input: CannedInput): Promise<CannedResponse> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CannedRow[]>`
      insert into canned_responses (company_id, owner_id, category, title, text, sort)
      values (${companyId}, ${ownerId}, ${input.category}, ${input.title}, ${input.text}, ${input.sort})
      returning *`);
    return toCanned(row!);
  }

  async createMany(companyId: string, ownerId: string | null, input: CannedInput[]): Promise<number> {
    if (!input.length) return 0;
    return withCompany(this.sql, companyId, async (tx) => {
      for (const i of input) {
        await tx`insert into canned_responses (company_id, owner_id, category, title, text, sort)
                 values (${companyId}, ${ownerId}, ${i.category}, ${i.title}, ${i.text}, ${i.sort})`;
      }
      return input.length;
    });
  }

  async update(companyId: string, id: string, input: CannedInput): Promise<CannedResponse | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<CannedRow[]>`
      update canned_responses set category = ${input.category}, title = ${input.title}, text = ${input.text},
             sort = ${input.sort}, updated_at = now()
       where company_id = ${companyId} and id = ${id} returning *`);
    return row ? toCanned(row) : null;
  }

  async remove(companyId: string, id: string): Promise<boolean> {
    if (!validId(id)) return false;
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      delete from canned_responses where company_id = ${companyId} and id = ${id} returning id`);
    return rows.length > 0;
  }

  async listLinks(companyId: string, agentId: string): Promise<CommonLink[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<LinkRow[]>`
      select * from common_links
       where company_id = ${companyId} and (owner_id is null or owner_id = ${agentId})
       order by owner_id nulls first, title, id`);
    return rows.map(toLink);
  }

  async getLink(companyId: string, id: string): Promise<CommonLink | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<LinkRow[]>`
      select * from common_links where company_id = ${companyId} and id = ${id}`);
    return row ? toLink(row) : null;
  }

  async createLink(companyId: string, ownerId: string | null, input: { title: string; url: string }): Promise<CommonLink> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<LinkRow[]>`
      insert into common_links (company_id, owner_id, title, url)
      values (${companyId}, ${ownerId}, ${input.title}, ${input.url}) returning *`);
    return toLink(row!);
  }

  async updateLink(companyId: string, id: string, input: { title: string; url: string }): Promise<CommonLink | null> {
    if (!validId(id)) return null;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<LinkRow[]>`
      update common_links set title = ${input.title}, url = ${input.url}
       where company_id = ${companyId} and id = ${id} returning *`);
    return row ? toLink(row) : null;
  }

  async removeLink(companyId: string, id: string): Promise<boolean> {
    if (!validId(id)) return false;
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      delete from common_links where company_id = ${companyId} and id = ${id} returning id`);
    return rows.length > 0;
  }
}

function toCanned(r: CannedRow): CannedResponse {
  return { id: String(r.id), ownerId: r.owner_id, category: r.category, title: r.title, text: r.text, sort: r.sort, updatedAt: r.updated_at.getTime() };
}

const toLink = (r: LinkRow): CommonLink => ({ id: String(r.id), ownerId: r.owner_id, title: r.title, url: r.url });
