// F2 broadcasts received by this agent: the list (panel and 已接通知), unread
// count, and the popup for each new one (Element Plus notification).
import { ElNotification } from 'element-plus';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { i18n } from '../i18n';
import type { ReceivedBroadcast } from '../../../protocol/collab-types';
import * as api from '../api/broadcasts';

export const useBroadcastsStore = defineStore('broadcasts', () => {
  const received = ref<ReceivedBroadcast[]>([]);
  /** ids already shown as a popup this page load */
  const popped = new Set<number>();

  const unread = computed(() => received.value.filter((b) => b.readAt === null).length);

  /** Loads the list; returns unread items not yet shown as a popup (sent while away, or at login). */
  async function load(): Promise<ReceivedBroadcast[]> {
    received.value = (await api.received()).items;
    return received.value.filter((b) => b.readAt === null && !popped.has(b.id));
  }

  /** A live one; returns it when it is new (so the caller pops it up). */
  function apply(b: ReceivedBroadcast): ReceivedBroadcast | null {
    if (received.value.some((x) => x.id === b.id)) return null;
    received.value.unshift(b);
    return b;
  }

  function markPopped(id: number): void {
    popped.add(id);
  }

  async function markRead(id: number): Promise<void> {
    await api.markRead(id);
    const b = received.value.find((x) => x.id === id);
    if (b && b.readAt === null) b.readAt = Date.now();
  }

  /** 通知提示框: stays until closed; closing marks it read. Text only, never HTML. */
  function popup(b: ReceivedBroadcast): void {
    if (popped.has(b.id)) return;
    popped.add(b.id);
    ElNotification({
      title: i18n.global.t('collab.broadcasts.popupTitle', { name: b.senderName }),
      message: b.text,
      type: 'info',
      duration: 0,
      customClass: 'broadcast-popup',
      onClose: () => void markRead(b.id).catch(() => undefined),
    });
  }

  /** The `broadcast.received` frame. */
  function receive(b: ReceivedBroadcast): void {
    if (apply(b)) popup(b);
  }

  /** Console start: load, then pop up what arrived while away (or at this login). */
  async function start(): Promise<void> {
    for (const b of (await load()).slice(0, 5).reverse()) popup(b);
  }

  function reset(): void {
    received.value = [];
    popped.clear();
  }

  return { received, unread, load, apply, markPopped, markRead, popup, receive, start, reset };
});
