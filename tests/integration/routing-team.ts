// A team of logged-in agents for the routing tests: created in the demo company
// with the given permissions, each with an open console socket that said hello.
import postgres from 'postgres';
import { hashPassword } from '../../server/src/domain/passwords.js';
import type { Permission } from '../../server/src/ports/account-store.js';
import type { TestServer } from '../helpers/server.js';
import { login, openAgent, openVisitor, type AgentClient, type Login, type VisitorClient } from '../helpers/clients.js';

export const PASSWORD = 'routing-pass-1';

export interface TeamAgent { id: string; session: Login; ws: AgentClient }

export async function createAgents(server: TestServer, specs: Array<{ id: string; permissions?: Permission[]; maxChats?: number }>): Promise<void> {
  const hash = await hashPassword(PASSWORD);
  for (const s of specs) {
    await server.stores.accounts.createAgent(server.demo!.companyId, {
      id: s.id, name: s.id[0]!.toUpperCase() + s.id.slice(1), passwordHash: hash,
      ...(s.permissions ? { permissions: s.permissions } : {}), ...(s.maxChats !== undefined ? { maxChats: s.maxChats } : {}),
    });
  }
}

export async function connectAgent(server: TestServer, agentId: string, password = PASSWORD, companyId = server.demo!.companyId): Promise<TeamAgent> {
  const session = await login(server.url, companyId, agentId, password);
  const ws = await openAgent(server.url, session);
  ws.send({ type: 'agent.hello' });
  await ws.waitFor('agent.ready');
  return { id: agentId, session, ws };
}

/** A visitor who asked for a chat; resolves once the chat is queued. */
export async function askForChat(server: TestServer, visitorId: string, text: string, query = ''): Promise<{ visitor: VisitorClient; conversationId: string }> {
  const visitor = query
    ? await (await import('../helpers/clients.js')).FrameClient.open<any, any>(`${server.url.replace(/^http/, 'ws')}/ws/visitor?key=${server.demo!.publicKey}&vid=${visitorId}${query}`) as VisitorClient
    : await openVisitor(server.url, server.demo!.publicKey, visitorId);
  visitor.send({ type: 'visitor.hello', name: `Guest ${visitorId.slice(-3)}` });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request', text, clientMsgId: `${visitorId}-q` });
  const queued = await visitor.waitFor('chat.queued');
  return { visitor, conversationId: queued.conversationId };
}

/** Runs SQL as the owner (fixtures the product has no API for yet: groups, auto-accept). */
export async function ownerSql<T>(server: TestServer, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(server.db.ownerUrl, { max: 1, onnotice: () => {} });
  try { return await fn(sql); } finally { await sql.end(); }
}
