// Runs the SQL migrations as the owner and makes sure the application role is
// usable and safe: it can log in, is not the owner of anything, cannot bypass
// RLS, and every table it can reach has forced row-level security.
//
// App role password (only matters where the server asks for one):
//   APP_DB_PASSWORD when set; otherwise, when the owner URL carries a password,
//   HMAC-SHA256(owner password, "switchboard_app") in base64url, so the owner
//   URL alone is enough to derive the app URL on every boot; otherwise none
//   (trust / peer auth, as on the dev server at 127.0.0.1:5432).
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import postgres from 'postgres';
import type { Logger } from 'pino';

export const APP_ROLE = 'switchboard_app';
export const SYSTEM_ROLE = 'switchboard_system';
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';

export async function migratePostgres(ownerUrl: string, logger: Logger): Promise<{ appUrl: string }> {
  const log = logger.child({ component: 'pg-migrate' });
  const applied = await runner({
    databaseUrl: ownerUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
    checkOrder: true,
    singleTransaction: true,
    // Several processes may boot at once: wait for the one migrating instead of failing.
    advisoryLockMode: 'wait',
    logger: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');

  const password = appRolePassword(ownerUrl);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureAppRole(sql, password);
    await assertTenancy(sql);
  } finally {
    await sql.end();
  }
  return { appUrl: appRoleUrl(ownerUrl) };
}

/** The app role's URL: same host, port and database as the owner URL. */
export function appRoleUrl(ownerUrl: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = appRolePassword(ownerUrl) ?? '';
  return u.toString();
}

export function appRolePassword(ownerUrl: string): string | null {
  const fromEnv = process.env.APP_DB_PASSWORD;
  if (fromEnv) return fromEnv;
  const ownerPassword = decodeURIComponent(new URL(ownerUrl).password);
  if (!ownerPassword) return null;
  return createHmac('sha256', ownerPassword).update(APP_ROLE).digest('base64url');
}

async function ensureAppRole(sql: postgres.Sql, password: string | null): Promise<void> {
  const [me] = await sql<{ super: boolean }[]>`select rolsuper as super from pg_roles where rolname = current_user`;
  const [app] = await sql<{ bypass: boolean; super: boolean }[]>`
    select rolbypassrls as bypass, rolsuper as super from pg_roles where rolname = ${APP_ROLE}`;
  if (!app) throw new Error(`role ${APP_ROLE} is missing after migrations`);
  if (app.super || app.bypass) {
    if (!me?.super) throw new Error(`role ${APP_ROLE} can bypass row-level security; fix it as a superuser`);
    await sql.unsafe(`alter role ${APP_ROLE} nosuperuser nobypassrls`);
  }
  // Cluster-wide; ALTER ROLE needs no lock, and a concurrent identical change is harmless.
  if (password !== null) await sql.unsafe(`alter role ${APP_ROLE} login password ${literal(password)}`);
  else await sql.unsafe(`alter role ${APP_ROLE} login`);
  const [db] = await sql<{ name: string }[]>`select current_database() as name`;
  await sql.unsafe(`grant connect on database ${ident(db!.name)} to ${APP_ROLE}`);
}

/**
 * Refuses to start when a table in `public` (other than the migrations log) lacks
 * forced RLS or a company_id column, or is owned by the app role: the backstop
 * must hold for tables later migrations add too.
 */
async function assertTenancy(sql: postgres.Sql): Promise<void> {
  const bad = await sql<{ name: string; problem: string }[]>`
    select c.relname as name,
           case when pg_get_userbyid(c.relowner) = ${APP_ROLE} then 'owned by the app role'
                when not c.relrowsecurity then 'row-level security not enabled'
                when not c.relforcerowsecurity then 'row-level security not forced'
                when not exists (select 1 from pg_policy p where p.polrelid = c.oid) then 'no policy'
                when c.relname <> 'companies' and not exists (
                  select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'company_id' and not a.attisdropped)
                  then 'no company_id column'
           end as problem
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> ${MIGRATIONS_TABLE}`;
  const problems = bad.filter((r) => r.problem !== null);
  if (problems.length > 0) {
    throw new Error(`tenancy check failed: ${problems.map((p) => `${p.name}: ${p.problem}`).join('; ')}`);
  }
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
