// B4 the agent's own console settings: loaded once per session, applied at
// once (the composer, the next-chat shortcut and alerts read them live).
import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as api from '../api/settings';

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<api.AgentSettings>({ ...api.DEFAULT_SETTINGS });
  const loaded = ref(false);

  async function load(): Promise<void> {
    settings.value = (await api.getSettings()).settings;
    loaded.value = true;
  }

  async function save(patch: Partial<api.AgentSettings>): Promise<void> {
    settings.value = (await api.saveSettings(patch)).settings;
  }

  function reset(): void {
    settings.value = { ...api.DEFAULT_SETTINGS };
    loaded.value = false;
  }

  return { settings, loaded, load, save, reset };
});

/** "Alt+Z" style name of a keydown, modifiers in the server's fixed order. */
export function shortcutOf(ev: KeyboardEvent): string | null {
  const code = ev.code;
  const key = /^Key[A-Z]$/.test(code) ? code.slice(3) : /^Digit[0-9]$/.test(code) ? code.slice(5)
    : /^(F([1-9]|1[0-2])|Arrow(Up|Down|Left|Right)|Tab|PageUp|PageDown)$/.test(code) ? code : null;
  if (!key) return null;
  const mods = [ev.ctrlKey && 'Ctrl', ev.altKey && 'Alt', ev.shiftKey && 'Shift', ev.metaKey && 'Meta'].filter(Boolean);
  return mods.length ? `${mods.join('+')}+${key}` : null;
}
