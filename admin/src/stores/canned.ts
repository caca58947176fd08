// E5 canned responses and E6 common links for the quick panel and the
// settings page; also the hand-off of a double-clicked text to the composer.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as api from '../api/canned';

export const BUILTIN = ['welcome', 'common', 'closing'] as const;

export const useCannedStore = defineStore('canned', () => {
  const items = ref<api.CannedResponse[]>([]);
  const links = ref<api.CommonLink[]>([]);
  const loaded = ref(false);
  /** text the composer should insert next (it clears it); `n` makes repeats distinct */
  const insertRequest = ref<{ text: string; n: number } | null>(null);
  let n = 0;

  /** built-in categories first, then custom ones by name */
  const categories = computed(() => {
    const custom = [...new Set(items.value.map((i) => i.category))].filter((c) => !(BUILTIN as readonly string[]).includes(c)).sort();
    return [...BUILTIN, ...custom];
  });

  async function load(): Promise<void> {
    const [c, l] = await Promise.all([api.listCanned(), api.listLinks()]);
    items.value = c.items;
    links.value = l.items;
    loaded.value = true;
  }

  function search(q: string, category: string | null): api.CannedResponse[] {
    const s = q.trim().toLowerCase();
    const rank = (c: string) => categories.value.indexOf(c);
    return items.value
      .filter((i) => (!category || i.category === category) && (!s || i.text.toLowerCase().includes(s) || i.title.toLowerCase().includes(s)))
      .sort((a, b) => rank(a.category) - rank(b.category) || a.sort - b.sort || Number(a.id) - Number(b.id));
  }

  function insert(text: string): void {
    insertRequest.value = { text, n: ++n };
  }

  async function save(id: string | null, scope: api.Scope, input: api.CannedInput): Promise<void> {
    if (id) await api.updateCanned(id, input);
    else await api.createCanned(scope, input);
    await load();
  }

  async function remove(id: string): Promise<void> {
    await api.deleteCanned(id);
    items.value = items.value.filter((i) => i.id !== id);
  }

  async function saveLink(id: string | null, scope: api.Scope, input: { title: string; url: string }): Promise<void> {
    if (id) await api.updateLink(id, input);
    else await api.createLink(scope, input);
    await load();
  }

  async function removeLink(id: string): Promise<void> {
    await api.deleteLink(id);
    links.value = links.value.filter((l) => l.id !== id);
  }

  return { items, links, loaded, insertRequest, categories, load, search, insert, save, remove, saveLink, removeLink };
});
