// ConversationStore contract on real Postgres (embedded PG 18, or the server in
// DATABASE_URL). Covers D1/D8 persistence: gapless seq, idempotent retries,
// group commit, ended chats, tenancy enforced by the store and by RLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import postgres from 'postgres';
import { createPostgresStores, type PostgresStores } from '../../server/src/adapters/postgres/stores.js';
import { ConflictError, NotFoundError, AppError } from '../../server/src/ports/errors.js';
import type { NewMessage } from '../../server/src/ports/conversation-store.js';
import type { SenderKind } from '../../protocol/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const logger = pino({ level: 'silent' });
let db: TestDatabase;
let stores: PostgresStores;
let companyA: string;
let companyB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createPostgresStores({ url: db.appUrl, logger });
  const admin = { id: 'admin', name: 'Admin', passwordHash: 'x' };
  companyA = (await stores.accounts.createCompany({ name: 'A', admin })).company.id;
  companyB = (await stores.accounts.createCompany({ name: 'B', admin })).company.id;
});

afterAll(async () => {
  await stores?.close();
  await db?.drop();
});

const newConv = (companyId: string, visitorId = 'v1', groupId: string | null = null) =>
  stores.conversations.createConversation({ companyId, visitorId, visitorName: `visitor ${visitorId}`, groupId });

const msg = (companyId: string, conversationId: string, text: string, clientMsgId: string | null, sender: SenderKind = 'visitor'): NewMessage =>
  ({ companyId, conversationId, sender, senderId: sender === 'system' ? null : 'v1', text, clientMsgId });

describe('conversations (D1, D8)', () => {
  it('creates a queued conversation with a time-ordered id and no messages', async () => {
    const c = await newConv(companyA, 'v-create', 'sales');
    expect(c).toMatchObject({ state: 'queued', visitorId: 'v-create', groupId: 'sales', agentId: null, lastSeq: 0, firstMessage: null, endedAt: null });
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await stores.conversations.get(companyA, c.id)).toEqual(c);
    expect(await stores.conversations.messagesAfter(companyA, c.id, 0)).toEqual([]);
  });

  it('refuses a conversation for a company that does not exist', async () => {
    await expect(newConv('99999999')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('assigns seq gaplessly under 200 concurrent appends across 10 conversations, in few batches', async () => {
    const convs = await Promise.all(Array.from({ length: 10 }, (_, i) => newConv(companyA, `v-load-${i}`)));
    const before = stores.conversations.groupCommitStats();
    const inputs = Array.from({ length: 200 }, (_, i) => msg(companyA, convs[i % 10]!.id, `m${i}`, `c${i}`));
    const results = await Promise.all(inputs.map((m) => stores.conversations.appendMessage(m)));
    const after = stores.conversations.groupCommitStats();

    expect(results.every((r) => !r.duplicate)).toBe(true);
    for (const conv of convs) {
      const mine = results.filter((r) => r.message.conversationId === conv.id).map((r) => r.message.seq).sort((a, b) => a - b);
      expect(mine).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const stored = await stores.conversations.messagesAfter(companyA, conv.id, 0);
      expect(stored.map((m) => m.seq)).toEqual(mine);
      // what each caller was told is what was stored
      for (const r of results.filter((x) => x.message.conversationId === conv.id)) {
        expect(stored[r.message.seq - 1]).toEqual(r.message);
      }
      expect((await stores.conversations.get(companyA, conv.id))!.lastSeq).toBe(20);
    }
    // group commit: 200 calls became a handful of statements
    expect(after.batches - before.batches).toBeLessThanOrEqual(20);
    expect(after.retriedBatches).toBe(before.retriedBatches);
  });

  it('commits one conversation’s concurrent messages in call order, across batches', async () => {
    // tiny batches and several in flight: order must still follow the calls
    const small = createPostgresStores({ url: db.appUrl, logger, groupCommit: { maxBatch: 7, maxInFlight: 4, windowMs: 1 } });
    try {
      const convs = await Promise.all([newConv(companyA), newConv(companyA), newConv(companyB)]);
      const calls = Array.from({ length: 180 }, (_, i) => {
        const c = convs[i % 3]!;
        return small.conversations.appendMessage(msg(i % 3 === 2 ? companyB : companyA, c.id, `n${i}`, `order-${i}`));
      });
      const rs = await Promise.all(calls);
      for (let k = 0; k < 3; k++) {
        const seqs = rs.filter((_, i) => i % 3 === k).map((r) => r.message.seq);
        expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      }
      expect(small.conversations.groupCommitStats().batches).toBeGreaterThanOrEqual(180 / 7);
    } finally {
      await small.close();
    }
  });

  it('keeps per-conversation order within one batch and messagesAfter pages by seq', async () => {
    const c = await newConv(companyA);
    const rs = await Promise.all(['one', 'two', 'three', 'four'].map((t, i) => stores.conversations.appendMessage(msg(companyA, c.id, t, `o${i}`))));
    expect(rs.map((r) => r.message.seq)).toEqual([1, 2, 3, 4]);
    expect((await stores.conversations.messagesAfter(companyA, c.id, 2)).map((m) => m.text)).toEqual(['three', 'four']);
    expect((await stores.conversations.messagesAfter(companyA, c.id, 0, 1)).map((m) => m.text)).toEqual(['one']);
  });

  it('sets first_message from the first visitor message only', async () => {
    const c = await newConv(companyA);
    await stores.conversations.appendMessage({ ...msg(companyA, c.id, 'welcome', null, 'system') });
    await stores.conversations.appendMessage(msg(companyA, c.id, 'I need help', 'f1'));
    await stores.conversations.appendMessage(msg(companyA, c.id, 'second', 'f2'));
    expect((await stores.conversations.get(companyA, c.id))!.firstMessage).toBe('I need help');
  });

  it('stores senderName and returns it', async () => {
    const c = await newConv(companyA);
    const r = await stores.conversations.appendMessage({ ...msg(companyA, c.id, 'hi', 'n1', 'agent'), senderId: 'admin', senderName: '小王' });
    expect(r.message).toMatchObject({ sender: 'agent', senderId: 'admin', senderName: '小王', seq: 1 });
    expect((await stores.conversations.messagesAfter(companyA, c.id, 0))[0]!.senderName).toBe('小王');
  });
});

describe('idempotent appends', () => {
  it('a retry with the same clientMsgId returns the first stored message', async () => {
    const c = await newConv(companyA);
    const first = await stores.conversations.appendMessage(msg(companyA, c.id, 'hello', 'dup-1'));
    const retry = await stores.conversations.appendMessage(msg(companyA, c.id, 'changed text', 'dup-1'));
    expect(first.duplicate).toBe(false);
    expect(retry.duplicate).toBe(true);
    expect(retry.message).toEqual(first.message);
    expect((await stores.conversations.get(companyA, c.id))!.lastSeq).toBe(1);
  });

  it('concurrent retries in one batch store the message once', async () => {
    const c = await newConv(companyA);
    const rs = await Promise.all(Array.from({ length: 10 }, () => stores.conversations.appendMessage(msg(companyA, c.id, 'same', 'dup-2'))));
    expect(rs.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(rs.map((r) => r.message.seq))).toEqual(new Set([1]));
    expect(await stores.conversations.messagesAfter(companyA, c.id, 0)).toHaveLength(1);
  });

  it('concurrent retries racing through two pools (separate transactions) store the message once', async () => {
    const other = createPostgresStores({ url: db.appUrl, logger });
    try {
      for (let round = 0; round < 15; round++) {
        const c = await newConv(companyA);
        const m = msg(companyA, c.id, `race ${round}`, `race-${round}`);
        const rs = await Promise.all([
          stores.conversations.appendMessage(m), other.conversations.appendMessage(m),
          stores.conversations.appendMessage(msg(companyA, c.id, 'filler', null, 'system')),
          other.conversations.appendMessage(m),
        ]);
        const idem = [rs[0]!, rs[1]!, rs[3]!];
        expect(idem.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(idem.map((r) => r.message.seq)).size).toBe(1);
        const stored = await stores.conversations.messagesAfter(companyA, c.id, 0);
        expect(stored.map((s) => s.seq)).toEqual([1, 2]);
      }
    } finally {
      await other.close();
    }
  });
});

describe('ended conversations', () => {
  it('refuse new messages but still answer retries of stored ones', async () => {
    const c = await newConv(companyA);
    const first = await stores.conversations.appendMessage(msg(companyA, c.id, 'before end', 'e1'));
    await stores.conversations.end(companyA, c.id, 'visitor');
    await expect(stores.conversations.appendMessage(msg(companyA, c.id, 'after end', 'e2'))).rejects.toBeInstanceOf(ConflictError);
    const retry = await stores.conversations.appendMessage(msg(companyA, c.id, 'before end', 'e1'));
    expect(retry).toEqual({ message: first.message, duplicate: true });
    const got = await stores.conversations.get(companyA, c.id);
    expect(got).toMatchObject({ state: 'ended', lastSeq: 1 });
    expect(got!.endedAt).toBeGreaterThan(0);
  });

  it('ending twice is a no-op; assign and requeue on an ended chat conflict', async () => {
    const c = await newConv(companyA);
    await stores.conversations.end(companyA, c.id, 'agent');
    await stores.conversations.end(companyA, c.id, 'visitor');
    await expect(stores.conversations.assign(companyA, c.id, 'admin')).rejects.toBeInstanceOf(ConflictError);
    await expect(stores.conversations.requeue(companyA, c.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it('one bad message in a batch does not fail the others', async () => {
    const open = await newConv(companyA);
    const ended = await newConv(companyA);
    await stores.conversations.end(companyA, ended.id, 'agent');
    const before = stores.conversations.groupCommitStats().retriedBatches;
    const settled = await Promise.allSettled([
      stores.conversations.appendMessage(msg(companyA, open.id, 'ok 1', 'b1')),
      stores.conversations.appendMessage(msg(companyA, ended.id, 'to ended', 'b2')),
      stores.conversations.appendMessage(msg(companyA, 'no-such-conversation', 'lost', 'b3')),
      // violates a CHECK constraint: fails the whole statement, then the retry isolates it
      stores.conversations.appendMessage({ ...msg(companyA, open.id, 'bad sender', 'b4'), sender: 'robot' as SenderKind }),
      stores.conversations.appendMessage(msg(companyA, open.id, 'ok 2', 'b5')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect(stores.conversations.groupCommitStats().retriedBatches).toBe(before + 1);
    expect((await stores.conversations.messagesAfter(companyA, open.id, 0)).map((m) => [m.seq, m.text])).toEqual([[1, 'ok 1'], [2, 'ok 2']]);
  });

  it('rejects text with a NUL character as bad input', async () => {
    const c = await newConv(companyA);
    const err = await stores.conversations.appendMessage(msg(companyA, c.id, 'a\u0000b', 'nul')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
  });
});

describe('assignment (D2, D3)', () => {
  it('assign → active with the agent, requeue → queued without, both logged', async () => {
    const c = await newConv(companyA);
    await stores.conversations.assign(companyA, c.id, 'admin');
    expect(await stores.conversations.get(companyA, c.id)).toMatchObject({ state: 'active', agentId: 'admin' });
    await stores.conversations.requeue(companyA, c.id);
    expect(await stores.conversations.get(companyA, c.id)).toMatchObject({ state: 'queued', agentId: null });
    await stores.conversations.assign(companyA, c.id, 'admin');
    await stores.conversations.end(companyA, c.id, 'agent');
    const owner = postgres(db.ownerUrl, { max: 1 });
    try {
      const log = await owner`select event, agent_id from assignment_log where conversation_id = ${c.id} order by id`;
      expect(log.map((r) => [r.event, r.agent_id])).toEqual([['assigned', 'admin'], ['requeued', 'admin'], ['assigned', 'admin'], ['ended', 'admin']]);
    } finally {
      await owner.end();
    }
  });
});

describe('listing and recovery', () => {
  it('lists newest first with keyset paging and filters (G1)', async () => {
    // a company of its own, so other tests' conversations do not show up
    const companyC = (await stores.accounts.createCompany({ name: 'C', admin: { id: 'admin', name: 'Admin', passwordHash: 'x' } })).company.id;
    const convs = [];
    for (let i = 0; i < 5; i++) convs.push(await newConv(companyC, i % 2 === 0 ? 'even' : 'odd'));
    await stores.conversations.assign(companyC, convs[1]!.id, 'admin');
    await stores.conversations.end(companyC, convs[4]!.id, 'visitor');
    const ids = convs.map((c) => c.id).reverse();

    const page1 = await stores.conversations.list(companyC, { limit: 2 });
    const page2 = await stores.conversations.list(companyC, { limit: 2, before: page1[1]!.id });
    const page3 = await stores.conversations.list(companyC, { limit: 2, before: page2[1]!.id });
    expect([...page1, ...page2, ...page3].map((c) => c.id)).toEqual(ids);

    expect((await stores.conversations.list(companyC, { visitorId: 'even' })).map((c) => c.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect((await stores.conversations.list(companyC, { agentId: 'admin' })).map((c) => c.id)).toEqual([convs[1]!.id]);
    expect((await stores.conversations.list(companyC, { states: ['ended'] })).map((c) => c.id)).toEqual([convs[4]!.id]);
    expect((await stores.conversations.list(companyC, { states: ['queued', 'active'] }))).toHaveLength(4);
  });

  it('openConversations returns every company’s open chats, oldest first', async () => {
    const a = await newConv(companyA, 'open-a');
    const b = await newConv(companyB, 'open-b');
    const closed = await newConv(companyB, 'closed');
    await stores.conversations.end(companyB, closed.id, 'agent');
    const open = await stores.conversations.openConversations();
    const ids = open.map((c) => c.id);
    expect(ids).toContain(a.id);
    expect(ids).toContain(b.id);
    expect(ids).not.toContain(closed.id);
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
    expect(open.find((c) => c.id === b.id)!.companyId).toBe(companyB);
    expect(open.every((c) => c.state !== 'ended')).toBe(true);
  });
});

describe('tenancy (RLS backstop)', () => {
  it('company B cannot read, append to, assign or end company A’s conversation through the store', async () => {
    const c = await newConv(companyA, 'secret-visitor');
    await stores.conversations.appendMessage(msg(companyA, c.id, 'private', 't1'));
    expect(await stores.conversations.get(companyB, c.id)).toBeNull();
    expect(await stores.conversations.messagesAfter(companyB, c.id, 0)).toEqual([]);
    expect((await stores.conversations.list(companyB, { visitorId: 'secret-visitor' }))).toEqual([]);
    await expect(stores.conversations.appendMessage(msg(companyB, c.id, 'intrude', 't2'))).rejects.toBeInstanceOf(NotFoundError);
    // a retry key that exists in A must not reveal A's message to B
    await expect(stores.conversations.appendMessage(msg(companyB, c.id, 'probe', 't1'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(stores.conversations.assign(companyB, c.id, 'admin')).rejects.toBeInstanceOf(NotFoundError);
    await expect(stores.conversations.end(companyB, c.id, 'agent')).rejects.toBeInstanceOf(NotFoundError);
    expect(await stores.conversations.get(companyA, c.id)).toMatchObject({ state: 'queued', lastSeq: 1 });
  });

  it('raw SQL as the app role without app.company_id sees zero rows and cannot insert', async () => {
    const app = postgres(db.appUrl, { max: 1, onnotice: () => {} });
    try {
      const [who] = await app`select current_user as u`;
      expect(who!.u).toBe('switchboard_app');
      for (const table of ['companies', 'agents', 'conversations', 'messages', 'sessions', 'login_log', 'assignment_log']) {
        const [row] = await app.unsafe(`select count(*)::int as n from ${table}`);
        expect(row!.n, table).toBe(0);
      }
      await expect(app`insert into conversations (company_id, id, visitor_id) values (${companyA}, 'forged', 'v')`)
        .rejects.toMatchObject({ code: '42501' });
      // setting one company shows that company's rows only
      const rows = await app.begin(async (tx) => {
        await tx`select set_config('app.company_id', ${companyB}, true)`;
        return tx`select distinct company_id from conversations`;
      });
      expect(rows.map((r) => r.company_id)).toEqual([companyB]);
    } finally {
      await app.end();
    }
  });

  it('the app role owns nothing, cannot bypass or disable RLS', async () => {
    const app = postgres(db.appUrl, { max: 1, onnotice: () => {} });
    const owner = postgres(db.ownerUrl, { max: 1, onnotice: () => {} });
    try {
      const [role] = await owner`select rolsuper, rolbypassrls from pg_roles where rolname = 'switchboard_app'`;
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
      const owned = await owner`select relname from pg_class where pg_get_userbyid(relowner) = 'switchboard_app'`;
      expect(owned).toHaveLength(0);
      const unforced = await owner`
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'pgmigrations'
           and not (c.relrowsecurity and c.relforcerowsecurity)`;
      expect(unforced).toHaveLength(0);
      await expect(app`alter table conversations disable row level security`).rejects.toMatchObject({ code: '42501' });
      await expect(app`drop policy tenant on conversations`).rejects.toMatchObject({ code: '42501' });
      await expect(app.begin(async (tx) => {
        await tx`set local row_security = off`;
        await tx`select * from conversations`;
      })).rejects.toMatchObject({ code: '42501' });
      await expect(app`set role switchboard_system`).rejects.toMatchObject({ code: '42501' });
    } finally {
      await app.end();
      await owner.end();
    }
  });
});
