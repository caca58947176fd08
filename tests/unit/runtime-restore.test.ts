// CompanyRouting.load rebuilds the actors from stored rows (no database: stub stores).
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CompanyRouting } from '../../server/src/runtime/company-routing.js';
import type { RoutingAgent } from '../../server/src/ports/account-store.js';
import type { RoutableConversation } from '../../server/src/ports/conversation-store.js';

const agent = (id: string): RoutingAgent => ({ id, name: id, role: 'agent', permissions: ['accept_chats', 'transfer'], disabled: false, maxChats: 5, autoAccept: false, groups: [], autoReply: null });
const conv = (id: string, state: RoutableConversation['state'], agentId: string | null, at: number, transferTo: string | null = null): RoutableConversation => ({
  id, visitorId: `v-${id}`, visitorName: id, state, agentId, groupId: null, createdAt: at, endedAt: null, lastSeq: 1, firstMessage: 'hi', scope: 'company', transferTo,
});

function deps(open: RoutableConversation[], sent: Array<[string, unknown]>) {
  const noop = async () => {};
  return {
    accounts: {
      companyById: async (id: string) => ({ id, name: 'Co', publicKey: 'k', timeZone: 'Asia/Shanghai', createdAt: 0 }),
      companySetting: async () => null, routingAgents: async () => [agent('alice'), agent('bob')],
    },
    conversations: {
      openOf: async () => open, acceptedToday: async () => ({ alice: 2 }), setTransfer: noop, assignRouted: noop, requeueRouted: noop,
    },
    fanout: {
      toAgent: (_c: string, a: string, f: unknown) => sent.push([a, f]), toVisitor: (_c: string, v: string, f: unknown) => sent.push([v, f]),
      toScopeVisitors: () => {}, toCompanyVisitors: () => {}, toQueueWatchers: () => {}, toVisitorWatchers: () => {},
    },
    logger: pino({ level: 'silent' }), agentGraceMs: 60_000, visitorGraceMs: 60_000,
  } as never;
}

describe('CompanyRouting.load', () => {
  it('restores queue order, owners, daily counts and keeps a pending transfer for replay', async () => {
    const sent: Array<[string, unknown]> = [];
    const c = await CompanyRouting.load('12345678', deps([
      conv('q2', 'queued', null, 3), conv('a1', 'active', 'alice', 1), conv('t1', 'transferring', 'alice', 2, 'bob'), conv('q1', 'queued', null, 2),
    ], sent));
    const ctx = c.router.getSnapshot().context;
    expect(ctx.queues.company).toEqual(['q1', 'q2']);
    expect(ctx.agents.alice!.chats.sort()).toEqual(['a1', 't1']);
    expect(ctx.agents.alice!.acceptedToday).toBe(2);
    expect(c.pendingTransfers.get('t1')).toEqual({ from: 'alice', to: 'bob' });
    expect(c.presence.get('alice')).toEqual({ status: 'online', connected: false });
    c.stop();
  });
});
