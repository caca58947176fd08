// Every tenant-scoped query runs inside withCompany(): one transaction whose
// first statement sets app.company_id (transaction-local), which the RLS
// policies compare against. Nothing leaks into the next user of the pooled
// connection because the setting ends with the transaction.
import type postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export async function withCompany<T>(sql: Sql, companyId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!companyId) throw new Error('withCompany needs a company id');
  const out = await sql.begin(async (tx) => {
    await tx`select set_config('app.company_id', ${companyId}, true)`;
    return { value: await fn(tx) };
  });
  return (out as { value: T }).value;
}

/**
 * A batch for the SQL functions that switch app.company_id per company inside
 * (append_messages, conversation_ops): `{"<company id>": [item, …]}` as JSON text,
 * each item with `i`, its index in the batch (rows come back keyed by it). Callers
 * send it as text and cast it (`::text::jsonb`), so postgres.js does not encode it twice.
 */
export function batchByCompany<T>(batch: T[], companyOf: (p: T) => string, item: (p: T) => object): string {
  const byCompany: Record<string, unknown[]> = {};
  batch.forEach((p, i) => { (byCompany[companyOf(p)] ??= []).push({ i, ...item(p) }); });
  return JSON.stringify(byCompany);
}

/** SQLSTATE of a postgres.js error, if it is one. */
export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const CHECK_VIOLATION = '23514';
