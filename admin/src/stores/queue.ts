// 等待接入: conversations waiting for an agent (D1, D2). The server owns the
// queue; we mirror its snapshots and per-conversation updates.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConversationSummary } from '../../../protocol/schema-common';
import { useSocketStore } from './socket';

export const useQueueStore = defineStore('queue', () => {
  const items = ref<ConversationSummary[]>([]);
  /** ids we sent conversation.accept for and have no answer yet */
  const accepting = ref<Record<string, true>>({});

  /** oldest first: the visitor who waited longest is served first */
  const waiting = computed(() => [...items.value].sort((a, b) => a.createdAt - b.createdAt));
  const count = computed(() => items.value.length);

  function replace(queue: ConversationSummary[]): void {
    items.value = queue.filter((c) => c.state === 'queued');
    for (const id of Object.keys(accepting.value)) if (!items.value.some((c) => c.id === id)) delete accepting.value[id];
  }

  function applyUpdated(c: ConversationSummary): void {
    const i = items.value.findIndex((x) => x.id === c.id);
    if (c.state === 'queued') {
      if (i >= 0) items.value[i] = c;
      else items.value.push(c);
    } else {
      if (i >= 0) items.value.splice(i, 1);
      delete accepting.value[c.id];
    }
  }

  function accept(id: string): boolean {
    const ok = useSocketStore().send({ type: 'conversation.accept', conversationId: id, ref: acceptRef(id) });
    if (ok) accepting.value[id] = true;
    return ok;
  }

  /** an error frame answered our accept: drop the spinner */
  function acceptFailed(ref: string): void {
    if (ref.startsWith('accept:')) delete accepting.value[ref.slice('accept:'.length)];
  }

  function reset(): void {
    items.value = [];
    accepting.value = {};
  }

  return { items, waiting, count, accepting, replace, applyUpdated, accept, acceptFailed, reset };
});

export const acceptRef = (id: string) => `accept:${id}`;
