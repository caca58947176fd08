// BroadcastStore on Postgres: broadcasts + broadcast_recipients, in
// withCompany(). Recipients are resolved when a broadcast is sent (at once for
// 'now'/'login', at its time for 'at'), and claiming a due row is a conditional
// UPDATE, so two nodes or a restart mid-tick never send one twice.
import { createHash } from 'node:crypto';
import type { Broadcast, BroadcastStore, NewBroadcast, ReceivedBroadcast, SentBroadcast } from '../../ports/broadcast-store.js';
import { NotFoundError } from '../../ports/errors.js';
import { withCompany, type Sql, type Tx } from './with-company.js';

interface Row {
  id: string; sender_id: string; sender_name: string; text: string; audience: Broadcast['audience']; targets: string[];
  delivery: Broadcast['delivery']; send_at: Date; sent_at: Date | null; created_at: Date;
}

export class PgBroadcastStore implements BroadcastStore {
  constructor(private readonly sql: Sql) {}

  async create(companyId: string, input: NewBroadcast): Promise<{ broadcast: Broadcast; recipients: string[] }> {
    return withCompany(this.sql, companyId, async (tx) => {
      await checkTargets(tx, companyId, input);
      const scheduled = input.delivery === 'at';
      const sendAt = scheduled ? new Date(input.sendAt!) : new Date();
      const [row] = await tx<Row[]>`
        insert into broadcasts (company_id, sender_id, sender_name, text, audience, targets, delivery, send_at, sent_at)
        values (${companyId}, ${input.senderId}, ${input.senderName}, ${input.text}, ${input.audience}, ${input.targets},
                ${input.delivery}, ${sendAt}, ${scheduled ? null : sendAt})
        returning *`;
      const recipients = scheduled ? [] : await resolve(tx, companyId, row!);
      return { broadcast: toBroadcast(row!), recipients };
    });
  }

  async sendDue(companyId: string, id: number): Promise<{ broadcast: Broadcast; recipients: string[] } | null> {
    return withCompany(this.sql, companyId, async (tx) => {
      const [row] = await tx<Row[]>`
        update broadcasts set sent_at = now()
         where company_id = ${companyId} and id = ${id} and sent_at is null and send_at <= now()
        returning *`;
      if (!row) return null;
      return { broadcast: toBroadcast(row), recipients: await resolve(tx, companyId, row) };
    });
  }

  async due(limit: number): Promise<Array<{ companyId: string; id: number }>> {
    const rows = await this.sql<{ company_id: string; id: string }[]>`select * from sys_due_broadcasts(${limit})`;
    return rows.map((r) => ({ companyId: r.company_id, id: Number(r.id) }));
  }

  async sent(companyId: string, senderId: string, opts: { limit: number }): Promise<SentBroadcast[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<(Row & { recipients: string; read: string })[]>`
      select b.*,
             (select count(*) from broadcast_recipients r where r.company_id = b.company_id and r.broadcast_id = b.id) as recipients,
             (select count(*) from broadcast_recipients r where r.company_id = b.company_id and r.broadcast_id = b.id and r.read_at is not null) as read
        from broadcasts b
       where b.company_id = ${companyId} and b.sender_id = ${senderId}
       order by b.id desc limit ${opts.limit}`);
    return rows.map((r) => ({ ...toBroadcast(r), recipients: Number(r.recipients), read: Number(r.read) }));
  }

  async received(companyId: string, agentId: string, opts: { limit: number; sessionStartedAt: number }): Promise<ReceivedBroadcast[]> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx<(Row & { read_at: Date | null })[]>`
      select b.*, r.read_at
        from broadcast_recipients r
        join broadcasts b on b.company_id = r.company_id and b.id = r.broadcast_id
       where r.company_id = ${companyId} and r.agent_id = ${agentId}
         and (b.delivery <> 'login' or b.sent_at < ${new Date(opts.sessionStartedAt)})
       order by b.sent_at desc, b.id desc limit ${opts.limit}`);
    return rows.map((r) => ({ ...toBroadcast(r), readAt: r.read_at?.getTime() ?? null }));
  }

  async markRead(companyId: string, agentId: string, id: number): Promise<boolean> {
    const rows = await withCompany(this.sql, companyId, (tx) => tx`
      update broadcast_recipients set read_at = coalesce(read_at, now())
       where company_id = ${companyId} and agent_id = ${agentId} and broadcast_id = ${id}
      returning broadcast_id`);
    return rows.length > 0;
  }

  async groups(companyId: string): Promise<Array<{ id: string; name: string }>> {
    return withCompany(this.sql, companyId, (tx) => tx<{ id: string; name: string }[]>`
      select id, name from groups where company_id = ${companyId} order by name, id`);
  }

  async sessionStartedAt(companyId: string, sessionToken: string): Promise<number | null> {
    const hash = createHash('sha256').update(sessionToken).digest('hex');
    const [row] = await withCompany(this.sql, companyId, (tx) => tx<{ created_at: Date }[]>`
      select created_at from sessions where company_id = ${companyId} and id = ${hash}`);
    return row?.created_at.getTime() ?? null;
  }
}

/** Every named group or agent must be the company's: a typo should not send to nobody. */
async function checkTargets(tx: Tx, companyId: string, input: NewBroadcast): Promise<void> {
  if (input.audience === 'all') return;
  const table = input.audience === 'groups' ? tx`groups` : tx`agents`;
  const [row] = await tx<{ n: string }[]>`
    select count(*) as n from ${table} where company_id = ${companyId} and id = any(${input.targets})`;
  if (Number(row!.n) !== new Set(input.targets).size) throw new NotFoundError(input.audience === 'groups' ? 'group' : 'agent');
}

/** Enabled agents in the audience, the sender excluded; inserts their recipient rows. */
async function resolve(tx: Tx, companyId: string, b: Row): Promise<string[]> {
  const rows = await tx<{ agent_id: string }[]>`
    insert into broadcast_recipients (company_id, broadcast_id, agent_id)
    select a.company_id, ${b.id}, a.id from agents a
     where a.company_id = ${companyId} and not a.disabled and a.id <> ${b.sender_id}
       and (${b.audience} = 'all'
            or (${b.audience} = 'agents' and a.id = any(${b.targets}))
            or (${b.audience} = 'groups' and exists (
                  select 1 from group_members m where m.company_id = a.company_id and m.agent_id = a.id and m.group_id = any(${b.targets}))))
    on conflict do nothing
    returning agent_id`;
  return rows.map((r) => r.agent_id);
}

function toBroadcast(r: Row): Broadcast {
  return {
    id: Number(r.id), senderId: r.sender_id, senderName: r.sender_name, text: r.text, audience: r.audience, targets: r.targets,
    delivery: r.delivery, sendAt: r.send_at.getTime(), sentAt: r.sent_at?.getTime() ?? null, createdAt: r.created_at.getTime(),
  };
}
