// Durability order in the runtime: an assignment is COMMITTED (assignment_log row)
// before the visitor or the agent hears of it, and a message is acked only after its
// commit. Stub stores whose writes resolve late record the order of events.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CompanyRouting } from '../../server/src/runtime/company-routing.js';
import { requestChat } from '../../server/src/runtime/visitor-commands.js';
import { accept, agentOpened } from '../../server/src/runtime/agent-commands.js';
import type { RoutingAgent } from '../../server/src/ports/account-store.js';

const slow = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

function world() {
  const events: string[] = [];
  let seq = 0;
  const admin: RoutingAgent = { id: 'alice', name: 'Alice', role: 'agent', permissions: ['accept_chats'], disabled: false, maxChats: 2, autoAccept: true, groups: [], autoReply: null };
  const deps = {
    accounts: {
      companyById: async (id: string) => ({ id, name: 'Co', publicKey: 'k', timeZone: 'UTC', createdAt: 0 }),
      companySetting: async () => null, routingAgents: async () => [admin],
    },
    conversations: {
      openOf: async () => [], acceptedToday: async () => ({}),
      createConversation: async () => ({ id: 'c1', visitorId: 'v1', visitorName: 'V', state: 'queued', agentId: null, groupId: null, createdAt: 1, endedAt: null, lastSeq: 0, firstMessage: null }),
      list: async () => [],
      assignRouted: async (_c: string, e: { agentId: string }) => { await slow(30, null); events.push(`commit assign ${e.agentId}`); },
      appendMessage: async (m: { text: string; conversationId: string; sender: string }) => {
        await slow(20, null);
        events.push(`commit message ${m.text}`);
        return { duplicate: false, message: { conversationId: m.conversationId, seq: ++seq, sender: m.sender, senderId: null, text: m.text, clientMsgId: null, at: 1 } };
      },
    },
    fanout: {
      toAgent: (_c: string, a: string, f: { type: string }) => events.push(`agent ${a} ${f.type}`),
      toVisitor: (_c: string, v: string, f: { type: string }) => events.push(`visitor ${v} ${f.type}`),
      toScopeVisitors: () => {}, toCompanyVisitors: () => {}, toQueueWatchers: () => {}, toVisitorWatchers: () => {},
    },
    logger: pino({ level: 'silent' }), agentGraceMs: 60_000, visitorGraceMs: 60_000,
  };
  return { deps: deps as never, events };
}

describe('runtime durability order', () => {
  it('a manual accept is committed before the visitor and the agent are told; the first message is acked after its commit', async () => {
    const { deps, events } = world();
    const c = await CompanyRouting.load('12345678', deps);
    const who = { companyId: '12345678', agentId: 'alice', name: 'Alice', permissions: ['accept_chats' as const], isAdmin: false };
    await agentOpened(c, who);
    c.routerCall({ type: 'settings.update', settings: { autoAssign: false } });
    const { ack } = await requestChat(c, 'v1', 'V', { scope: 'company', text: 'hello', clientMsgId: 'm1' });
    expect(ack?.seq).toBe(1);
    expect(events.indexOf('commit message hello')).toBeGreaterThanOrEqual(0);
    accept(c, who, 'c1');
    await c.serial.idle();
    const commit = events.indexOf('commit assign alice');
    expect(commit).toBeGreaterThan(-1);
    expect(events.indexOf('visitor v1 chat.assigned')).toBeGreaterThan(commit);
    expect(events.indexOf('agent alice conversation.updated')).toBeGreaterThan(commit);
    c.stop();
  });

  it('a second accept of the same chat is refused with already_taken and changes nothing', async () => {
    const { deps, events } = world();
    const c = await CompanyRouting.load('12345678', deps);
    const who = { companyId: '12345678', agentId: 'alice', name: 'Alice', permissions: ['accept_chats' as const], isAdmin: false };
    await agentOpened(c, who);
    await requestChat(c, 'v1', 'V', { scope: 'company' });
    accept(c, who, 'c1');
    const before = c.router.getSnapshot().context;
    expect(() => accept(c, who, 'c1')).toThrow(expect.objectContaining({ code: 'already_taken' }));
    expect(c.router.getSnapshot().context).toBe(before);
    await c.serial.idle();
    expect(events.filter((e) => e === 'commit assign alice')).toHaveLength(1);
    c.stop();
  });
});
