// Postgres adapter: embedded launcher, migrations, stores. The composition root
// (server/src/runtime/stores.ts) chains them:
//   startEmbeddedPostgres (no DATABASE_URL) → migratePostgres(ownerUrl) → createPostgresStores({ url: appUrl })
export { startEmbeddedPostgres, pickPort, type EmbeddedPostgresHandle, type EmbeddedPostgresOptions } from './embedded.js';
export { migratePostgres, appRoleUrl, appRolePassword, APP_ROLE, SYSTEM_ROLE, MIGRATIONS_DIR } from './migrate.js';
export { createPostgresStores, type PostgresStores, type PostgresStoresOptions } from './stores.js';
export { withCompany } from './with-company.js';
export { PgAccountStore } from './account-store.js';
export { PgConversationStore } from './conversation-store.js';
export type { GroupCommitOptions } from './group-commit.js';
