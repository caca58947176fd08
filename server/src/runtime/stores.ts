// Opens the transactional stores: embedded Postgres in <dataDir>/pg unless
// DATABASE_URL is set, migrated on every start (migrations are idempotent).
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { AccountStore } from '../ports/account-store.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { FileStore } from '../ports/file-store.js';
import type { FileMetaStore } from '../ports/file-meta-store.js';
import type { OfflineMessageStore } from '../ports/offline-message-store.js';
import type { EdgeStore } from '../ports/edge-store.js';
import type { VisitorStore } from '../ports/visitor-store.js';
import { LocalFileStore } from '../adapters/files/local-file-store.js';
import { startEmbeddedPostgres } from '../adapters/postgres/embedded.js';
import { migratePostgres } from '../adapters/postgres/migrate.js';
import { createPostgresStores } from '../adapters/postgres/stores.js';
import { createConsoleToolsStores, type ConsoleToolsStores } from '../adapters/postgres/console-tools-stores.js';
import { createCollabStores, type CollabStores } from '../adapters/postgres/collab-stores.js';
import { createChatExtrasStore } from '../adapters/postgres/chat-extras-store.js';
import type { ChatExtrasStore } from '../ports/chat-extras-store.js';

export interface Stores {
  accounts: AccountStore;
  conversations: ConversationStore;
  /** upload blobs under <dataDir>/files */
  files: FileStore;
  fileMeta: FileMetaStore;
  offlineMessages: OfflineMessageStore;
  edge: EdgeStore;
  visitors: VisitorStore;
  /** E5/E6/E10/E11/B4 console tools */
  tools: Omit<ConsoleToolsStores, 'close'>;
  /** F1/F2/A5 agent chat, broadcasts, agent management */
  collab: Omit<CollabStores, 'close'>;
  /** ratings, visitor profiles, declined attachments (chat extras) */
  extras: ChatExtrasStore;
  ping(): Promise<void>;
  /** closes pools, then stops embedded Postgres when we started it */
  close(): Promise<void>;
  embedded: boolean;
}

export async function openStores(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort' | 'groupCommitMs' | 'groupCommitLanes'>, logger: Logger): Promise<Stores> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, logger });
  const ownerUrl = config.databaseUrl ?? embedded!.url;
  try {
    const { appUrl } = await migratePostgres(ownerUrl, logger);
    const stores = await createPostgresStores({ url: appUrl, ownerUrl, logger, groupCommitMs: config.groupCommitMs, groupCommit: { maxInFlight: config.groupCommitLanes } });
    const tools = createConsoleToolsStores(appUrl);
    const collab = createCollabStores(appUrl);
    const extras = createChatExtrasStore(appUrl);
    return {
      accounts: stores.accounts,
      conversations: stores.conversations,
      files: new LocalFileStore(path.join(config.dataDir, 'files')),
      fileMeta: stores.fileMeta,
      offlineMessages: stores.offlineMessages,
      edge: stores.edge,
      visitors: stores.visitors,
      tools,
      collab,
      extras: extras.store,
      ping: stores.ping,
      embedded: embedded !== null,
      async close() {
        await tools.close();
        await collab.close();
        await extras.close();
        await stores.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
