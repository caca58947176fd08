// createPostgresStores: one postgres.js pool as the application role, shared by
// the AccountStore and the ConversationStore (with its group committer).
import postgres from 'postgres';
import type { Logger } from 'pino';
import type { AccountStore } from '../../ports/account-store.js';
import type { ConversationStore } from '../../ports/conversation-store.js';
import { PgAccountStore } from './account-store.js';
import { PgConversationStore } from './conversation-store.js';
import type { GroupCommitOptions } from './group-commit.js';
import { PgFileMetaStore } from './file-meta-store.js';
import { PgOfflineMessageStore } from './offline-message-store.js';
import { PgEdgeStore } from './edge-store.js';
import { PgVisitorStore } from './visitor-store.js';

export interface PostgresStores {
  accounts: PgAccountStore & AccountStore;
  conversations: PgConversationStore & ConversationStore;
  fileMeta: PgFileMetaStore;
  offlineMessages: PgOfflineMessageStore;
  edge: PgEdgeStore;
  visitors: PgVisitorStore;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** Drains pending message batches, then closes the pool. Idempotent. */
  close(): Promise<void>;
}

export interface PostgresStoresOptions {
  /** Application-role URL (from migratePostgres). Never the owner URL in production. */
  url: string;
  /**
   * Accepted for symmetry with migratePostgres' inputs and unused: cross-company
   * lookups go through SECURITY DEFINER functions, so runtime needs only the app role.
   */
  ownerUrl?: string;
  logger: Logger;
  /** Pool size. Default 10. */
  max?: number;
  groupCommit?: GroupCommitOptions;
  /** Shorthand for groupCommit.windowMs. */
  groupCommitMs?: number;
}

export function createPostgresStores(opts: PostgresStoresOptions): PostgresStores {
  const log = opts.logger.child({ component: 'postgres' });
  const sql = postgres(opts.url, {
    max: opts.max ?? 10,
    onnotice: (n) => log.debug({ notice: n.message }, 'postgres notice'),
    connection: { application_name: 'switchboard' },
  });
  const accounts = new PgAccountStore(sql);
  const conversations = new PgConversationStore(sql, log, {
    ...opts.groupCommit,
    ...(opts.groupCommitMs !== undefined ? { windowMs: opts.groupCommitMs } : {}),
  });
  let closing: Promise<void> | null = null;
  return {
    accounts,
    conversations,
    fileMeta: new PgFileMetaStore(sql),
    offlineMessages: new PgOfflineMessageStore(sql),
    edge: new PgEdgeStore(sql),
    visitors: new PgVisitorStore(sql),
    async ping() {
      await sql`select 1`;
    },
    close: () => (closing ??= (async () => {
      await conversations.close();
      await sql.end({ timeout: 5 });
    })()),
  };
}
