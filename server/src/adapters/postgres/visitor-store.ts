// VisitorStore on Postgres: tables visitors (+ the visit jsonb column) and
// tracking_settings, inside withCompany(). The tracker writes behind, so
// saveVisitors takes a batch and upserts it in one statement.
import { randomBytes } from 'node:crypto';
import type { TrackingSettings, VisitorRecord, VisitorStore } from '../../ports/visitor-store.js';
import { withCompany, type Sql } from './with-company.js';

interface VisitorRow {
  id: string; name: string; first_seen: Date; last_seen: Date; visit_count: number;
  ip: string | null; region: string | null; user_agent: string | null; language: string | null; visit: VisitorRecord['visit'];
}
interface SettingsRow { honour_dnt: boolean; member_secret: string; member_secret_previous: string | null }

const toSettings = (r: SettingsRow): TrackingSettings => ({
  honourDnt: r.honour_dnt, memberSecret: r.member_secret, previousMemberSecret: r.member_secret_previous,
});
const newSecret = () => randomBytes(32).toString('base64url');

export class PgVisitorStore implements VisitorStore {
  constructor(private readonly sql: Sql) {}

  async visitor(companyId: string, visitorId: string): Promise<VisitorRecord | null> {
    const [r] = await withCompany(this.sql, companyId, (tx) => tx<VisitorRow[]>`
      select id, name, first_seen, last_seen, visit_count, ip, region, user_agent, language, visit
      from visitors where company_id = ${companyId} and id = ${visitorId}`);
    if (!r) return null;
    return {
      visitorId: r.id, name: r.name, firstSeen: r.first_seen.getTime(), lastSeen: r.last_seen.getTime(),
      visitCount: r.visit_count, ip: r.ip ?? '', region: r.region ?? '', userAgent: r.user_agent ?? '',
      language: r.language ?? '', visit: r.visit ?? null,
    };
  }

  async saveVisitors(companyId: string, rows: readonly VisitorRecord[]): Promise<void> {
    if (rows.length === 0) return;
    // One row per visitor: a duplicate key in one INSERT … ON CONFLICT is an error.
    const latest = new Map(rows.map((r) => [r.visitorId, r]));
    const doc = JSON.stringify([...latest.values()].map((r) => ({
      id: r.visitorId, name: r.name, first_seen: new Date(r.firstSeen).toISOString(), last_seen: new Date(r.lastSeen).toISOString(),
      visit_count: r.visitCount, ip: r.ip, region: r.region, user_agent: r.userAgent.slice(0, 512), language: r.language, visit: r.visit,
    })));
    await withCompany(this.sql, companyId, (tx) => tx`
      insert into visitors (company_id, id, name, first_seen, last_seen, visit_count, ip, region, user_agent, language, visit)
      select ${companyId}, x.id, x.name, x.first_seen, x.last_seen, x.visit_count, x.ip, x.region, x.user_agent, x.language, x.visit
      from jsonb_to_recordset(${doc}::text::jsonb) as x(id text, name text, first_seen timestamptz, last_seen timestamptz,
        visit_count integer, ip text, region text, user_agent text, language text, visit jsonb)
      on conflict (company_id, id) do update set
        name = excluded.name, last_seen = greatest(visitors.last_seen, excluded.last_seen),
        visit_count = greatest(visitors.visit_count, excluded.visit_count), ip = excluded.ip, region = excluded.region,
        user_agent = excluded.user_agent, language = excluded.language, visit = excluded.visit`);
  }

  async trackingSettings(companyId: string): Promise<TrackingSettings> {
    return withCompany(this.sql, companyId, async (tx) => {
      await tx`insert into tracking_settings (company_id, member_secret) values (${companyId}, ${newSecret()})
        on conflict (company_id) do nothing`;
      const [r] = await tx<SettingsRow[]>`select honour_dnt, member_secret, member_secret_previous from tracking_settings where company_id = ${companyId}`;
      return toSettings(r!);
    });
  }

  async setHonourDnt(companyId: string, on: boolean): Promise<TrackingSettings> {
    const [r] = await withCompany(this.sql, companyId, (tx) => tx<SettingsRow[]>`
      insert into tracking_settings (company_id, honour_dnt, member_secret) values (${companyId}, ${on}, ${newSecret()})
      on conflict (company_id) do update set honour_dnt = excluded.honour_dnt, updated_at = now()
      returning honour_dnt, member_secret, member_secret_previous`);
    return toSettings(r!);
  }

  async rotateMemberSecret(companyId: string): Promise<TrackingSettings> {
    const [r] = await withCompany(this.sql, companyId, (tx) => tx<SettingsRow[]>`
      insert into tracking_settings (company_id, member_secret) values (${companyId}, ${newSecret()})
      on conflict (company_id) do update
        set member_secret_previous = tracking_settings.member_secret, member_secret = excluded.member_secret, updated_at = now()
      returning honour_dnt, member_secret, member_secret_previous`);
    return toSettings(r!);
  }
}
