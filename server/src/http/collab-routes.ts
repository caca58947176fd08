// Internal collaboration (F1 agent chat, F2 broadcasts, A5 agent management)
// in one place, so server.ts wires it with a few lines: the routes, and the
// broadcast scheduler to start after listen and close before the stores.
import type { AgentStatus } from '../../../protocol/codes.js';
import type { AgentOut } from '../../../protocol/agent-frames.js';
import type { Logger } from '../logger.js';
import type { AccountStore } from '../ports/account-store.js';
import type { AgentAdminStore } from '../ports/agent-admin-store.js';
import type { AgentChatStore } from '../ports/agent-chat-store.js';
import type { BroadcastStore } from '../ports/broadcast-store.js';
import type { FileStore } from '../ports/file-store.js';
import type { FileMetaStore } from '../ports/file-meta-store.js';
import { BroadcastScheduler } from '../runtime/broadcast-scheduler.js';
import { agentAdminRoutes } from './agent-admin-routes.js';
import { agentChatRoutes } from './agent-chat-routes.js';
import { broadcastRoutes } from './broadcast-routes.js';
import type { Route } from './types.js';

export interface CollabDeps {
  stores: { agentChat: AgentChatStore; broadcasts: BroadcastStore; agentAdmin: AgentAdminStore };
  accounts: AccountStore;
  files: FileStore;
  fileMeta: FileMetaStore;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  presence?: (companyId: string, agentId: string) => AgentStatus;
  /** tells the routing runtime that agent profiles changed */
  agentsChanged?: (companyId: string) => Promise<void>;
  logger: Logger;
  broadcastSweepMs?: number;
}

export function collabRoutes(d: CollabDeps): { routes: Route[]; scheduler: BroadcastScheduler } {
  const scheduler = new BroadcastScheduler({ store: d.stores.broadcasts, toAgent: d.toAgent, logger: d.logger, intervalMs: d.broadcastSweepMs });
  const routes = [
    ...agentChatRoutes({ store: d.stores.agentChat, accounts: d.accounts, files: d.files, meta: d.fileMeta, toAgent: d.toAgent, presence: d.presence }),
    ...broadcastRoutes({ store: d.stores.broadcasts, accounts: d.accounts, scheduler, toAgent: d.toAgent }),
    ...agentAdminRoutes({ store: d.stores.agentAdmin, toAgent: d.toAgent, presence: d.presence, agentsChanged: d.agentsChanged }),
  ];
  return { routes, scheduler };
}
