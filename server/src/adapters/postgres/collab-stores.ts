// Internal collaboration stores (F1 agent chat, F2 broadcasts, A5 agent
// management) on their own small app-role pool, wired without touching the
// shared createPostgresStores. postgres.js connects lazily.
import postgres from 'postgres';
import { PgAgentChatStore } from './agent-chat-store.js';
import { PgBroadcastStore } from './broadcast-store.js';
import { PgAgentAdminStore } from './agent-admin-store.js';

export interface CollabStores {
  agentChat: PgAgentChatStore;
  broadcasts: PgBroadcastStore;
  agentAdmin: PgAgentAdminStore;
  close(): Promise<void>;
}

export function createCollabStores(appUrl: string, max = 3): CollabStores {
  const sql = postgres(appUrl, { max, onnotice: () => {}, connection: { application_name: 'switchboard-collab' } });
  return {
    agentChat: new PgAgentChatStore(sql),
    broadcasts: new PgBroadcastStore(sql),
    agentAdmin: new PgAgentAdminStore(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}
