// Per-test-file databases cloned from the migrated template that
// tests/helpers/global-setup.ts prepared.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { appRoleUrl } from '../../server/src/adapters/postgres/migrate.js';

export interface TestDatabase {
  name: string;
  /** Superuser / owner URL: for fixtures and for checking what the app role cannot do. */
  ownerUrl: string;
  /** switchboard_app URL: what the server uses. */
  appUrl: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, templateDb } = inject('pg');
  // Named after the template so global teardown can sweep leftovers.
  const name = `sb_test_${templateDb.slice(7)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${templateDb}`);
        break;
      } catch (err) {
        // 55006: the template is briefly "being accessed" by a concurrent clone.
        const code = (err as { code?: string }).code;
        if (code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(adminUrl, name);
  return {
    name,
    ownerUrl,
    appUrl: appRoleUrl(ownerUrl),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Same server and role, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
