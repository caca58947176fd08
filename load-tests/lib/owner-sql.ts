// One short-lived owner connection for the harness's own reads and writes around a
// run (fixtures, ANALYZE, invariants, backend pids), closed whatever happens.
import postgres from 'postgres';

export async function withOwnerSql<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}
