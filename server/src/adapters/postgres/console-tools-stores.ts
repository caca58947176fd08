// The console tools' stores (E5/E6 canned + links, E10 evaluation, E11
// customers, B4 agent settings) on their own small app-role pool, so they are
// wired without touching the shared createPostgresStores. postgres.js connects
// lazily, so an idle pool costs nothing.
import postgres from 'postgres';
import { PgCannedStore } from './canned-store.js';
import { PgEvaluationStore } from './evaluation-store.js';
import { PgCustomerStore } from './customer-store.js';
import { PgAgentSettingsStore } from './agent-settings-store.js';

export interface ConsoleToolsStores {
  canned: PgCannedStore;
  evaluations: PgEvaluationStore;
  customers: PgCustomerStore;
  agentSettings: PgAgentSettingsStore;
  close(): Promise<void>;
}

export function createConsoleToolsStores(appUrl: string, max = 4): ConsoleToolsStores {
  const sql = postgres(appUrl, { max, onnotice: () => {}, connection: { application_name: 'switchboard-console-tools' } });
  return {
    canned: new PgCannedStore(sql),
    evaluations: new PgEvaluationStore(sql),
    customers: new PgCustomerStore(sql),
    agentSettings: new PgAgentSettingsStore(sql),
    close: () => sql.end({ timeout: 5 }),
  };
}
