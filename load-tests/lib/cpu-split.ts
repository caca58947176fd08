// CPU time per message by process over one phase: the server under test, its
// Postgres backends and the generator processes, read from /proc (Linux). The
// server's CPU profile shows wall time inside the server; this shows who the two
// shared cores actually worked for (a loopback write also runs the receiver's TCP
// path, and a generator spinning would take the server's CPU without showing in it).
import { cpuMs } from './proc.js';
import { withOwnerSql } from './owner-sql.js';

export interface CpuPerMessage { server: number | null; postgres: number | null; generators: number | null }

export interface CpuSplitTargets { serverPid?: number | undefined; generatorPids: number[]; ownerUrl?: string | undefined }

type Snapshot = Map<number, number>;

const read = (pids: number[]): Snapshot => new Map(pids.flatMap((p) => { const ms = cpuMs(p); return ms === null ? [] : [[p, ms] as const]; }));

/** CPU ms the processes spent between two snapshots (processes gone by the end are left out). */
const spent = (a: Snapshot, b: Snapshot): number | null => {
  let sum = 0;
  let seen = false;
  for (const [pid, ms] of b) { const before = a.get(pid); if (before !== undefined) { sum += ms - before; seen = true; } }
  return seen ? sum : null;
};

async function backendPids(ownerUrl: string | undefined): Promise<number[]> {
  if (!ownerUrl) return [];
  const rows = await withOwnerSql(ownerUrl, (sql) => sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  return rows.map((r) => r.pid);
}

/** Starts measuring; the returned function ends it and divides by the messages delivered. */
export async function startCpuSplit(t: CpuSplitTargets): Promise<(messages: number) => CpuPerMessage> {
  const serverPids = t.serverPid ? [t.serverPid] : [];
  const pgPids = await backendPids(t.ownerUrl);
  const before = { server: read(serverPids), postgres: read(pgPids), generators: read(t.generatorPids) };
  return (messages) => {
    const per = (a: Snapshot, pids: number[]) => {
      const ms = spent(a, read(pids));
      return ms === null || messages === 0 ? null : Math.round((ms * 1000) / messages);
    };
    return { server: per(before.server, serverPids), postgres: per(before.postgres, pgPids), generators: per(before.generators, t.generatorPids) };
  };
}
