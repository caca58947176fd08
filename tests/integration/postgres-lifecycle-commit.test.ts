// The lifecycle group committer on real Postgres: create / assign / requeue / end
// of many chats in few conversation_ops() statements, each call with its own
// outcome; per-conversation order; one bad op isolated; RLS per company inside a
// mixed batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresStores, type PostgresStores } from '../../server/src/adapters/postgres/stores.js';
import { ConflictError, NotFoundError } from '../../server/src/ports/errors.js';
import type { SenderKind } from '../../protocol/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let stores: PostgresStores;
let owner: postgres.Sql;
let companyA: string;
let companyB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createPostgresStores({ url: db.appUrl, logger });
  owner = postgres(db.ownerUrl, { max: 1, onnotice: () => {} });
  const admin = { id: 'admin', name: 'Admin', passwordHash: 'x' };
  companyA = (await stores.accounts.createCompany({ name: 'A', admin })).company.id;
  companyB = (await stores.accounts.createCompany({ name: 'B', admin })).company.id;
});

afterAll(async () => {
  await owner?.end();
  await stores?.close();
  await db?.drop();
});

const store = () => stores.conversations;
const create = (companyId: string, visitorId: string) =>
  store().createConversation({ companyId, visitorId, visitorName: `visitor ${visitorId}`, groupId: null, scope: 'company' });
const logOf = async (conversationId: string) =>
  (await owner`select company_id, event, agent_id, decision from assignment_log where conversation_id = ${conversationId} order by id`)
    .map((r) => [r.event, r.agent_id, r.decision === null ? null : Number(r.decision)]);

describe('lifecycle group commit', () => {
  it('writes 300 concurrent creates, then assigns and ends, of two companies in few statements', async () => {
    const before = store().lifecycleStats();
    const convs = await Promise.all(Array.from({ length: 300 }, (_, i) => create(i % 2 === 0 ? companyA : companyB, `bulk-${i}`)));
    const companyOf = (i: number) => (i % 2 === 0 ? companyA : companyB);
    await Promise.all(convs.map((c, i) => store().assignRouted(companyOf(i), {
      conversationId: c.id, agentId: 'admin', mode: 'auto', status: 'online', load: 0, cap: 5, scope: 'company', ticket: i + 1, decision: 1000 + i,
    })));
    await Promise.all(convs.map((c, i) => store().endRouted(companyOf(i), { conversationId: c.id, by: 'visitor', decision: 5000 + i })));
    const after = store().lifecycleStats();

    expect(after.ops - before.ops).toBe(900);
    expect(after.batches - before.batches).toBeLessThan(90);
    expect(after.retriedBatches).toBe(before.retriedBatches);
    for (const [i, c] of convs.entries()) {
      expect(c).toMatchObject({ state: 'queued', visitorId: `bulk-${i}`, agentId: null, lastSeq: 0 });
      expect(await store().get(companyOf(i), c.id)).toEqual({ ...c, state: 'ended', agentId: 'admin', endedAt: expect.any(Number) });
    }
    const rows = await owner<{ company_id: string; n: number }[]>`
      select c.company_id, count(*)::int as n from assignment_log l join conversations c on c.id = l.conversation_id and c.company_id = l.company_id
       where c.visitor_id like 'bulk-%' group by 1`;
    expect(Object.fromEntries(rows.map((r) => [r.company_id, r.n]))).toEqual({ [companyA]: 300, [companyB]: 300 });
    // Creation order is call order within a batch: each op gets its own instant.
    const created = await owner<{ id: string }[]>`select id from conversations where visitor_id like 'bulk-%' and company_id = ${companyA} order by created_at, id`;
    expect(created.map((r) => r.id)).toEqual(convs.filter((_, i) => i % 2 === 0).map((c) => c.id));
  });

  it('keeps call order per conversation when ops are issued without waiting', async () => {
    const c = await create(companyA, 'order');
    const s = store();
    await Promise.all([
      s.assignRouted(companyA, { conversationId: c.id, agentId: 'admin', mode: 'auto', status: 'online', load: 0, cap: 5, scope: 'company', ticket: 1, decision: 1 }),
      s.requeueRouted(companyA, { conversationId: c.id, previousAgentId: 'admin', reason: 'agent_left', decision: 2 }),
      s.assignRouted(companyA, { conversationId: c.id, agentId: 'admin', mode: 'manual', status: 'online', load: 0, cap: 5, scope: 'company', ticket: 1, decision: 3 }),
      s.endRouted(companyA, { conversationId: c.id, by: 'agent', decision: 4 }),
      s.endRouted(companyA, { conversationId: c.id, by: 'visitor', decision: 5 }),
    ]);
    expect(await logOf(c.id)).toEqual([['assigned', 'admin', 1], ['requeued', 'admin', 2], ['assigned', 'admin', 3], ['ended', 'admin', 4]]);
    expect(await s.get(companyA, c.id)).toMatchObject({ state: 'ended', agentId: 'admin' });
  });

  it('maps each op’s outcome to the error its method throws, and one bad op does not fail the batch', async () => {
    const open = await create(companyA, 'mixed-open');
    const ended = await create(companyA, 'mixed-ended');
    const other = await create(companyB, 'mixed-other');
    const bad = await create(companyA, 'mixed-bad');
    await store().end(companyA, ended.id, 'agent');
    const before = store().lifecycleStats().retriedBatches;
    const settled = await Promise.allSettled([
      store().assign(companyA, open.id, 'admin'),
      store().assign(companyA, ended.id, 'admin'),
      store().requeue(companyA, 'no-such-conversation'),
      // another company's conversation, in the same statement: RLS hides it
      store().assign(companyA, other.id, 'admin'),
      // violates the ended_by CHECK: fails the statement, the split isolates it
      store().end(companyA, bad.id, 'robot' as SenderKind),
      store().end(companyA, ended.id, 'visitor'),
      store().createConversation({ companyId: '99999999', visitorId: 'v', visitorName: 'v', groupId: null }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled', 'rejected']);
    const reason = (i: number) => (settled[i] as PromiseRejectedResult).reason;
    expect(reason(1)).toBeInstanceOf(ConflictError);
    expect(reason(2)).toBeInstanceOf(NotFoundError);
    expect(reason(3)).toBeInstanceOf(NotFoundError);
    expect(reason(6)).toBeInstanceOf(NotFoundError);
    expect(store().lifecycleStats().retriedBatches).toBeGreaterThan(before);
    expect(await store().get(companyA, open.id)).toMatchObject({ state: 'active', agentId: 'admin' });
    expect(await store().get(companyB, other.id)).toMatchObject({ state: 'queued', agentId: null });
    expect(await logOf(other.id)).toEqual([]);
  });

  it('a company’s ops write only that company’s rows, even batched with another company’s', async () => {
    const a = await create(companyA, 'rls-a');
    const b = await create(companyB, 'rls-b');
    // B tries to end A's chat while A assigns it, in the same window.
    const [byB, byA] = await Promise.allSettled([
      store().endRouted(companyB, { conversationId: a.id, by: 'agent', decision: 1 }),
      store().assign(companyA, a.id, 'admin'),
      store().end(companyB, b.id, 'visitor'),
    ]);
    expect(byB.status).toBe('rejected');
    expect((byB as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect(byA.status).toBe('fulfilled');
    expect(await store().get(companyA, a.id)).toMatchObject({ state: 'active', agentId: 'admin' });
    const rows = await owner`select company_id, conversation_id, event from assignment_log where conversation_id in (${a.id}, ${b.id}) order by event`;
    expect(rows.map((r) => [r.company_id, r.conversation_id, r.event])).toEqual([[companyA, a.id, 'assigned'], [companyB, b.id, 'ended']]);
  });
});
