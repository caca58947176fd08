// Pure helpers for a conversation's message list. Delivery is at least once
// (resume replays from Postgres), so every insert dedupes by seq and keeps
// the list sorted; the console never trusts arrival order.
import type { ChatMessage } from '../../../protocol/schema-common';

/** Insert `incoming` into `list` (sorted by seq) in place; returns how many were new. */
export function mergeBySeq(list: ChatMessage[], incoming: readonly ChatMessage[]): number {
  let added = 0;
  for (const m of incoming) {
    const i = lowerBound(list, m.seq);
    if (list[i]?.seq === m.seq) continue;
    list.splice(i, 0, m);
    added++;
  }
  return added;
}

/** Highest seq held, 0 when empty. */
export function lastSeq(list: readonly ChatMessage[]): number {
  return list.length ? list[list.length - 1]!.seq : 0;
}

function lowerBound(list: readonly ChatMessage[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A client message id: unique enough per conversation, matches the protocol pattern. */
export function newClientMsgId(): string {
  const rnd = crypto.getRandomValues(new Uint8Array(9));
  return 'c' + Date.now().toString(36) + '-' + Array.from(rnd, (b) => b.toString(36).padStart(2, '0')).join('');
}
