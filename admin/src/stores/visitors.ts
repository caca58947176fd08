// 访客列表 (C1): visitors on the company's site now, plus those who left in the
// last few minutes (the 离开时刻 column, greyed out). Loaded over HTTP when the
// view opens, then kept current by the feed frames, which also arrive while
// the view is closed so the list is ready when it opens.
//
// Sized for thousands of rows: the map is a shallowRef (no deep proxies over
// 2,000 visitor objects) and a version counter tells the list to recompute.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { LiveVisitor } from '../../../protocol/agent-frames';
import { listVisitors, visitorTrail, type TrailEntry } from '../api/visitors';

/** A visitor row: the live visitor, and when they left if they did. */
export interface VisitorRow extends LiveVisitor {
  leftAt: number | null;
}

/** how long a departed visitor stays listed */
export const LEFT_KEEP_MS = 5 * 60_000;
/** at most this many departed visitors are kept (a burst of departures must not grow the list) */
const LEFT_KEEP_MAX = 200;

export const useVisitorsStore = defineStore('visitors', () => {
  const byId = shallowRef(new Map<string, VisitorRow>());
  const selectedId = ref<string | null>(null);
  const trail = ref<TrailEntry[]>([]);
  const loading = ref(false);

  const changed = () => triggerRef(byId);

  /** newest arrival first; departed visitors included (leftAt set) */
  const list = computed(() => [...byId.value.values()].sort((a, b) => b.enteredAt - a.enteredAt));
  /** visitors on the site now (departed ones not counted) */
  const count = computed(() => {
    let n = 0;
    for (const v of byId.value.values()) if (v.leftAt === null) n++;
    return n;
  });
  const selected = computed(() => (selectedId.value ? (byId.value.get(selectedId.value) ?? null) : null));

  const live = (v: LiveVisitor): VisitorRow => ({ ...v, leftAt: null });

  /** departed visitors, oldest departure first (a queue, so pruning never walks the whole list) */
  let departed: Array<{ id: string; at: number }> = [];

  /** Drops departed visitors past LEFT_KEEP_MS, and the oldest beyond LEFT_KEEP_MAX; true when any went. */
  function prune(now: number): boolean {
    let n = 0;
    while (n < departed.length && (departed.length - n > LEFT_KEEP_MAX || now - departed[n]!.at > LEFT_KEEP_MS)) n++;
    if (!n) return false;
    for (const d of departed.slice(0, n)) if (byId.value.get(d.id)?.leftAt === d.at) byId.value.delete(d.id);
    departed = departed.slice(n);
    return true;
  }

  function replace(visitors: LiveVisitor[]): void {
    byId.value = new Map(visitors.map((v) => [v.id, live(v)]));
    departed = [];
  }

  /** Called by the view's clock: departed rows age out even when nothing else happens. */
  function tick(now = Date.now()): void {
    if (prune(now)) changed();
  }

  function upsert(v: LiveVisitor): void {
    const prev = byId.value.get(v.id);
    // A reply to an older list request must not undo a newer frame.
    if (prev && prev.leftAt === null && prev.lastSeenAt > v.lastSeenAt) return;
    byId.value.set(v.id, live(v));
    changed();
    if (v.id === selectedId.value && (!prev || prev.page.url !== v.page.url || prev.lastSeenAt !== v.lastSeenAt)) void loadTrail();
  }

  /** visitor.left: the row stays, greyed, with its departure time, for LEFT_KEEP_MS. */
  function remove(id: string, at = Date.now()): void {
    const prev = byId.value.get(id);
    if (!prev || prev.leftAt !== null) return;
    byId.value.set(id, { ...prev, leftAt: at, status: 'left' });
    departed.push({ id, at });
    prune(at);
    changed();
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const items = await listVisitors();
      const fresh = new Map<string, VisitorRow>();
      for (const v of items) {
        const cur = byId.value.get(v.id);
        fresh.set(v.id, cur && cur.leftAt === null && cur.lastSeenAt > v.lastSeenAt ? cur : live(v));
      }
      // Departed visitors are ours alone (the server forgets them): keep them.
      for (const v of byId.value.values()) if (v.leftAt !== null && !fresh.has(v.id)) fresh.set(v.id, v);
      departed = departed.filter((d) => fresh.get(d.id)?.leftAt === d.at);
      byId.value = fresh;
    } finally {
      loading.value = false;
    }
  }

  async function select(id: string | null): Promise<void> {
    selectedId.value = id;
    trail.value = [];
    if (id) await loadTrail();
  }

  async function loadTrail(): Promise<void> {
    const id = selectedId.value;
    if (!id) return;
    try {
      const r = await visitorTrail(id);
      if (selectedId.value === id) trail.value = r.trail;
    } catch {
      if (selectedId.value === id) trail.value = [];
    }
  }

  function reset(): void {
    byId.value = new Map();
    departed = [];
    selectedId.value = null;
    trail.value = [];
  }

  return { byId, list, count, selected, selectedId, trail, loading, replace, upsert, remove, tick, load, select, reset };
});
