// EdgeStore on Postgres: tables ip_blocks and service_regions, inside withCompany().
import { DEFAULT_SERVICE_REGIONS, type EdgeStore, type IpBlock, type ServiceRegions } from '../../ports/edge-store.js';
import { withCompany, type Sql } from './with-company.js';

interface BlockRow { id: string; target: string; kind: 'visitor' | 'chat'; until: Date | null; created_by: string; created_at: Date }

const toBlock = (r: BlockRow): IpBlock => ({
  id: String(r.id), target: r.target, kind: r.kind, until: r.until ? r.until.getTime() : null,
  createdBy: r.created_by, createdAt: r.created_at.getTime(),
});

export class PgEdgeStore implements EdgeStore {
  constructor(private readonly sql: Sql) {}

  async listBlocks(companyId: string): Promise<IpBlock[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<BlockRow[]>`
      select * from ip_blocks where company_id = ${companyId} order by created_at desc, id desc`);
    return rows.map(toBlock);
  }

  async addBlock(companyId: string, b: Omit<IpBlock, 'id' | 'createdAt'>): Promise<IpBlock> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<BlockRow[]>`
      insert into ip_blocks (company_id, target, kind, until, created_by)
      values (${companyId}, ${b.target}, ${b.kind}, ${b.until === null ? null : new Date(b.until)}, ${b.createdBy})
      returning *`);
    return toBlock(row!);
  }

  async removeBlock(companyId: string, id: string): Promise<boolean> {
    if (!/^[0-9]{1,18}$/.test(id)) return false;
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      delete from ip_blocks where company_id = ${companyId} and id = ${id} returning id`);
    return rows.length > 0;
  }

  async serviceRegions(companyId: string): Promise<ServiceRegions> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ mode: ServiceRegions['mode']; regions: string[]; denied_icon: ServiceRegions['deniedIcon'] }[]>`
      select mode, regions, denied_icon from service_regions where company_id = ${companyId}`);
    return row ? { mode: row.mode, regions: row.regions, deniedIcon: row.denied_icon } : { ...DEFAULT_SERVICE_REGIONS };
  }

  async saveServiceRegions(companyId: string, r: ServiceRegions): Promise<void> {
    await withCompany(this.sql, companyId, (tx) => tx`
      insert into service_regions (company_id, mode, regions, denied_icon)
      values (${companyId}, ${r.mode}, ${r.regions}, ${r.deniedIcon})
      on conflict (company_id) do update
        set mode = excluded.mode, regions = excluded.regions, denied_icon = excluded.denied_icon, updated_at = now()`);
  }
}
