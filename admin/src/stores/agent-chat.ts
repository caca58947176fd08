// F1 agent chat state: colleagues with status and unread counts, the open
// thread, and the 客服对话未读 total the toolbar shows. REST loads; the
// `agentchat.message` frame keeps it live.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AgentChatMessage } from '../../../protocol/collab-types';
import * as api from '../api/agent-chat';
import { useAuthStore } from './auth';

export const useAgentChatStore = defineStore('agent-chat', () => {
  const contacts = ref<api.Contact[]>([]);
  const presence = ref(false);
  const threads = ref<Record<string, AgentChatMessage[]>>({});
  const selectedId = ref<string | null>(null);
  /** true while AgentChatView is on screen: messages to the open thread count as read */
  const viewing = ref(false);
  const unreadTotal = ref(0);

  const selected = computed(() => contacts.value.find((c) => c.id === selectedId.value) ?? null);

  async function loadContacts(): Promise<void> {
    const r = await api.contacts();
    contacts.value = r.contacts;
    presence.value = r.presence;
    unreadTotal.value = r.contacts.reduce((n, c) => n + c.unread, 0);
  }

  async function refreshUnread(): Promise<void> {
    unreadTotal.value = (await api.unread()).unread;
  }

  async function select(agentId: string): Promise<void> {
    selectedId.value = agentId;
    threads.value[agentId] = (await api.thread(agentId)).messages;
    await markRead(agentId);
  }

  async function markRead(agentId: string): Promise<void> {
    const c = contacts.value.find((x) => x.id === agentId);
    if (c && c.unread === 0) return;
    await api.markRead(agentId);
    if (c) {
      unreadTotal.value = Math.max(0, unreadTotal.value - c.unread);
      c.unread = 0;
    }
  }

  /** A live message (mine from another tab, or to me). Duplicates (REST answer + frame) are dropped by id. */
  function applyMessage(m: AgentChatMessage): void {
    const me = useAuthStore().agent?.id;
    const other = m.fromAgentId === me ? m.toAgentId : m.fromAgentId;
    const list = threads.value[other];
    if (list?.some((x) => x.id === m.id)) return;
    if (list) list.push(m);
    const c = contacts.value.find((x) => x.id === other);
    if (c) c.lastAt = m.at;
    if (m.toAgentId !== me) return;
    if (viewing.value && selectedId.value === other) {
      void api.markRead(other).catch(() => undefined);
      return;
    }
    if (c) c.unread++;
    unreadTotal.value++;
  }

  async function send(body: { text?: string; fileKey?: string }): Promise<void> {
    const to = selectedId.value;
    if (!to) return;
    applyMessage((await api.send(to, body)).message);
  }

  function reset(): void {
    contacts.value = [];
    threads.value = {};
    selectedId.value = null;
    unreadTotal.value = 0;
  }

  return { contacts, presence, threads, selectedId, selected, viewing, unreadTotal, loadContacts, refreshUnread, select, markRead, applyMessage, send, reset };
});
