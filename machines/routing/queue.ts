// FIFO queues, one per scope. Pure and immutable: every function returns new arrays,
// so the router can diff positions before and after a step.
import type { ScopeKey } from './types.js';

export type Queues = Readonly<Record<ScopeKey, readonly string[]>>;

export function enqueue(queues: Queues, scope: ScopeKey, id: string): Queues {
  return { ...queues, [scope]: [...(queues[scope] ?? []).filter((x) => x !== id), id] };
}

/** Put a chat back at the head of its scope (declined, offer timed out, agent gone). */
export function enqueueHead(queues: Queues, scope: ScopeKey, id: string): Queues {
  return { ...queues, [scope]: [id, ...(queues[scope] ?? []).filter((x) => x !== id)] };
}

export function remove(queues: Queues, scope: ScopeKey, id: string): Queues {
  const q = queues[scope];
  if (!q || !q.includes(id)) return queues;
  const rest = q.filter((x) => x !== id);
  const next: Record<ScopeKey, readonly string[]> = { ...queues };
  if (rest.length === 0) delete next[scope];
  else next[scope] = rest;
  return next;
}

export interface Position {
  /** 1-based place in the scope queue. */
  position: number;
  /** Chats ahead of this one in the same scope. */
  ahead: number;
}

/** Position of every queued chat, keyed by conversation id. */
export function positions(queues: Queues): Record<string, Position> {
  const out: Record<string, Position> = {};
  for (const q of Object.values(queues)) {
    q.forEach((id, i) => { out[id] = { position: i + 1, ahead: i }; });
  }
  return out;
}

/** Chats whose position differs from what their visitor was last told. */
export function changedPositions(
  told: Readonly<Record<string, number>>,
  queues: Queues,
): Array<{ id: string } & Position> {
  const out: Array<{ id: string } & Position> = [];
  for (const [id, p] of Object.entries(positions(queues))) {
    if (told[id] !== p.position) out.push({ id, ...p });
  }
  return out;
}

export function queuedCount(queues: Queues): number {
  let n = 0;
  for (const q of Object.values(queues)) n += q.length;
  return n;
}
