// OfflineMessageStore on Postgres: tables offline_messages and widget_settings,
// every query inside withCompany().
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_WIDGET_SETTINGS,
  type NewOfflineMessage, type OfflineMessage, type OfflineMessageFilter, type OfflineMessageStore,
  type OfflineReason, type WidgetSettings,
} from '../../ports/offline-message-store.js';
import { uuidv7 } from './ids.js';
import { withCompany, type Sql } from './with-company.js';

interface Row {
  id: string; created_at: Date; reason: OfflineReason; fields: Record<string, string>; visitor_id: string;
  source_url: string; ip: string; region: string; engine: string; keyword: string; type: string;
  replied: boolean; replied_by: string | null; replied_at: Date | null;
}

const toMessage = (r: Row): OfflineMessage => ({
  id: r.id, createdAt: r.created_at.getTime(), reason: r.reason, fields: r.fields, visitorId: r.visitor_id,
  sourceUrl: r.source_url, ip: r.ip, region: r.region, engine: r.engine, keyword: r.keyword, type: r.type,
  replied: r.replied, repliedBy: r.replied_by, repliedAt: r.replied_at ? r.replied_at.getTime() : null,
});

export class PgOfflineMessageStore implements OfflineMessageStore {
  constructor(private readonly sql: Sql) {}

  async widgetSettings(companyId: string): Promise<WidgetSettings> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ offline_form: Partial<WidgetSettings> }[]>`
      select offline_form from widget_settings where company_id = ${companyId}`);
    const saved = row?.offline_form ?? {};
    return {
      offlineForm: saved.offlineForm ?? DEFAULT_WIDGET_SETTINGS.offlineForm,
      iconTexts: { ...DEFAULT_WIDGET_SETTINGS.iconTexts, ...saved.iconTexts },
    };
  }

  async saveWidgetSettings(companyId: string, settings: WidgetSettings): Promise<void> {
    await withCompany(this.sql, companyId, (tx) => tx`
      insert into widget_settings (company_id, offline_form) values (${companyId}, ${tx.json(settings as never)})
      on conflict (company_id) do update set offline_form = excluded.offline_form, updated_at = now()`);
  }

  async insert(companyId: string, m: NewOfflineMessage): Promise<OfflineMessage> {
    // Time-ordered and unguessable: the id shows up in console URLs.
    const id = `${uuidv7().replace(/-/g, '').slice(0, 16)}${randomBytes(4).toString('hex')}`;
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
      insert into offline_messages (company_id, id, reason, fields, visitor_id, source_url, ip, region, engine, keyword)
      values (${companyId}, ${id}, ${m.reason}, ${tx.json(m.fields)}, ${m.visitorId}, ${m.sourceUrl}, ${m.ip},
              ${m.region}, ${m.engine}, ${m.keyword})
      returning *`);
    return toMessage(row!);
  }

  async list(companyId: string, f: OfflineMessageFilter): Promise<{ items: OfflineMessage[]; total: number }> {
    return withCompany(this.sql, companyId, async (tx) => {
      const where = () => tx`
        company_id = ${companyId}
        ${f.from !== undefined ? tx`and created_at >= ${new Date(f.from)}` : tx``}
        ${f.to !== undefined ? tx`and created_at < ${new Date(f.to)}` : tx``}
        ${f.reason !== undefined ? tx`and reason = ${f.reason}` : tx``}
        ${f.replied !== undefined ? tx`and replied = ${f.replied}` : tx``}
        ${f.type !== undefined ? tx`and type = ${f.type}` : tx``}`;
      const rows = await tx<Row[]>`
        select * from offline_messages where ${where()}
        order by created_at desc, id desc limit ${f.limit} offset ${f.offset}`;
      const [count] = await tx<{ n: string }[]>`select count(*) as n from offline_messages where ${where()}`;
      return { items: rows.map(toMessage), total: Number(count!.n) };
    });
  }

  async setReplied(companyId: string, id: string, replied: boolean, by: string): Promise<OfflineMessage | null> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<Row[]>`
      update offline_messages
         set replied = ${replied},
             replied_by = ${replied ? by : null},
             replied_at = case when ${replied} then now() end
       where company_id = ${companyId} and id = ${id}
      returning *`);
    return row ? toMessage(row) : null;
  }

  async unrepliedCount(companyId: string): Promise<number> {
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ n: string }[]>`
      select count(*) as n from offline_messages where company_id = ${companyId} and not replied`);
    return Number(row!.n);
  }
}
