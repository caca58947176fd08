// 访客列表 (C1): visitors on the company's site now. Loaded over HTTP when the
// view opens, then kept current by the feed frames, which also arrive while
// the view is closed so the list is ready when it opens.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LiveVisitor } from '../../../protocol/agent-frames';
import { listVisitors, visitorTrail, type TrailEntry } from '../api/visitors';

export const useVisitorsStore = defineStore('visitors', () => {
  const byId = ref<Record<string, LiveVisitor>>({});
  const selectedId = ref<string | null>(null);
  const trail = ref<TrailEntry[]>([]);
  const loading = ref(false);

  /** newest arrival first */
  const list = computed(() => Object.values(byId.value).sort((a, b) => b.enteredAt - a.enteredAt));
  const count = computed(() => list.value.length);
  const selected = computed(() => (selectedId.value ? (byId.value[selectedId.value] ?? null) : null));

  function replace(visitors: LiveVisitor[]): void {
    byId.value = Object.fromEntries(visitors.map((v) => [v.id, v]));
  }

  function upsert(v: LiveVisitor): void {
    const prev = byId.value[v.id];
    // A reply to an older list request must not undo a newer frame.
    if (prev && prev.lastSeenAt > v.lastSeenAt) return;
    byId.value[v.id] = v;
    if (v.id === selectedId.value && (!prev || prev.page.url !== v.page.url || prev.lastSeenAt !== v.lastSeenAt)) void loadTrail();
  }

  function remove(id: string): void {
    delete byId.value[id];
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      const items = await listVisitors();
      const fresh: Record<string, LiveVisitor> = {};
      for (const v of items) {
        const cur = byId.value[v.id];
        fresh[v.id] = cur && cur.lastSeenAt > v.lastSeenAt ? cur : v;
      }
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
    byId.value = {};
    selectedId.value = null;
    trail.value = [];
  }

  return { byId, list, count, selected, selectedId, trail, loading, replace, upsert, remove, load, select, reset };
});
