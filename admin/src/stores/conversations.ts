// 我的当前对话 and 已结束的对话: conversation summaries, their messages in seq
// order, the outbox of unacknowledged sends, unread counts and visitor drafts.
// Resume rule: we always know our last seq per conversation, and ask for the
// gap whenever the server says a conversation has moved past it.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChatMessage, ConversationSummary } from '../../../protocol/schema-common';
import * as convApi from '../api/conversations';
import { lastSeq, mergeBySeq, newClientMsgId } from '../lib/message-list';
import { useAuthStore } from './auth';
import { useSocketStore } from './socket';

export interface PendingMessage {
  clientMsgId: string;
  text: string;
  createdAt: number;
  /** set when the server refused it (e.g. the chat ended); not resent automatically */
  error: string | null;
}

export interface VisitorDraft {
  text: string;
  at: number;
}

const ENDED_PAGE = 50;

export const useConversationsStore = defineStore('conversations', () => {
  const byId = ref<Record<string, ConversationSummary>>({});
  const messages = ref<Record<string, ChatMessage[]>>({});
  const outbox = ref<Record<string, PendingMessage[]>>({});
  const unread = ref<Record<string, number>>({});
  const drafts = ref<Record<string, VisitorDraft>>({});
  const selectedId = ref<string | null>(null);
  const historyInFlight = new Set<string>();

  const ended = ref<ConversationSummary[]>([]);
  const endedLoading = ref(false);
  const endedDone = ref(false);
  const loadErrors = ref<Record<string, string>>({});

  const me = () => useAuthStore().agent?.id ?? null;

  const mine = computed(() =>
    Object.values(byId.value)
      .filter((c) => c.agentId === me() && (c.state === 'active' || c.state === 'transferring'))
      .sort((a, b) => a.createdAt - b.createdAt),
  );
  const totalUnread = computed(() => mine.value.reduce((n, c) => n + (unread.value[c.id] ?? 0), 0));
  const selected = computed<ConversationSummary | null>(() => {
    const id = selectedId.value;
    if (!id) return null;
    return byId.value[id] ?? ended.value.find((c) => c.id === id) ?? null;
  });

  // ---- socket frames -------------------------------------------------------

  function applyReady(conversations: ConversationSummary[]): void {
    historyInFlight.clear(); // requests on the old socket died with it
    for (const c of conversations) upsert(c);
  }

  function applyUpdated(c: ConversationSummary): void {
    const before = byId.value[c.id];
    upsert(c);
    if (c.state === 'ended' && before && before.state !== 'ended' && before.agentId === me()) {
      ended.value = [c, ...ended.value.filter((x) => x.id !== c.id)];
      delete drafts.value[c.id];
    }
  }

  function upsert(c: ConversationSummary): void {
    byId.value[c.id] = c;
    if (c.agentId === me() && c.state !== 'queued') requestGap(c.id);
  }

  /** Ask the server for messages after the last one we hold, once at a time. */
  function requestGap(id: string): void {
    const c = byId.value[id];
    const have = lastSeq(messages.value[id] ?? []);
    if (!c || c.lastSeq <= have || historyInFlight.has(id)) return;
    if (useSocketStore().send({ type: 'conversation.history', conversationId: id, afterSeq: have, ref: `history:${id}` })) historyInFlight.add(id);
  }

  function applyMessage(m: ChatMessage): void {
    const list = (messages.value[m.conversationId] ??= []);
    if (!mergeBySeq(list, [m])) return;
    if (m.clientMsgId) removePending(m.conversationId, m.clientMsgId);
    bumpLastSeq(m.conversationId, m.seq);
    if (m.sender === 'visitor') {
      // Typing is relayed at once but a message only after its commit, so a
      // newer draft can arrive first: drop the draft only if this message is it.
      const d = drafts.value[m.conversationId];
      if (d && m.text.startsWith(d.text.trim())) delete drafts.value[m.conversationId];
      if (selectedId.value !== m.conversationId || document.hidden) {
        unread.value[m.conversationId] = (unread.value[m.conversationId] ?? 0) + 1;
      }
    }
  }

  function applyHistory(conversationId: string, items: ChatMessage[]): void {
    historyInFlight.delete(conversationId);
    const list = (messages.value[conversationId] ??= []);
    mergeBySeq(list, items);
    for (const m of items) if (m.clientMsgId) removePending(conversationId, m.clientMsgId);
    bumpLastSeq(conversationId, lastSeq(list));
  }

  function applyAck(a: { conversationId: string; clientMsgId: string; seq: number; at: number }): void {
    const pending = outbox.value[a.conversationId]?.find((p) => p.clientMsgId === a.clientMsgId);
    if (pending) {
      const agent = useAuthStore().agent;
      mergeBySeq((messages.value[a.conversationId] ??= []), [
        { conversationId: a.conversationId, seq: a.seq, sender: 'agent', senderId: agent?.id ?? null, senderName: agent?.name, text: pending.text, clientMsgId: a.clientMsgId, at: a.at },
      ]);
    }
    removePending(a.conversationId, a.clientMsgId);
    bumpLastSeq(a.conversationId, a.seq);
  }

  function applyTyping(conversationId: string, draft: string | undefined): void {
    if (draft) drafts.value[conversationId] = { text: draft, at: Date.now() };
    else delete drafts.value[conversationId];
  }

  /** An error frame answered one of our frames: mark the send refused or free the history slot. */
  function frameFailed(ref: string, code: string): boolean {
    if (ref.startsWith('history:')) return historyInFlight.delete(ref.slice('history:'.length));
    for (const list of Object.values(outbox.value)) {
      const p = list.find((x) => x.clientMsgId === ref);
      if (p) {
        p.error = code;
        return true;
      }
    }
    return false;
  }

  function bumpLastSeq(id: string, seq: number): void {
    const c = byId.value[id];
    if (c && seq > c.lastSeq) byId.value[id] = { ...c, lastSeq: seq };
  }

  function removePending(conversationId: string, clientMsgId: string): void {
    const list = outbox.value[conversationId];
    if (!list) return;
    const i = list.findIndex((p) => p.clientMsgId === clientMsgId);
    if (i >= 0) list.splice(i, 1);
  }

  // ---- console actions -----------------------------------------------------

  /** What hello tells the server we already have. */
  function resumeList(): Array<{ conversationId: string; lastSeq: number }> {
    return Object.entries(messages.value)
      .filter(([id]) => byId.value[id]?.state !== 'ended')
      .map(([conversationId, list]) => ({ conversationId, lastSeq: lastSeq(list) }))
      .slice(0, 500);
  }

  function send(conversationId: string, text: string): void {
    const p: PendingMessage = { clientMsgId: newClientMsgId(), text, createdAt: Date.now(), error: null };
    (outbox.value[conversationId] ??= []).push(p);
    transmit(conversationId, p);
  }

  function transmit(conversationId: string, p: PendingMessage): void {
    // ref = clientMsgId so a refusal can be matched to its bubble.
    useSocketStore().send({ type: 'message.send', conversationId, clientMsgId: p.clientMsgId, text: p.text, ref: p.clientMsgId });
  }

  /** After (re)connecting: same clientMsgId, so the server stores each text once. */
  function resendPending(): void {
    for (const [id, list] of Object.entries(outbox.value)) for (const p of list) if (!p.error) transmit(id, p);
  }

  function retry(conversationId: string, clientMsgId: string): void {
    const p = outbox.value[conversationId]?.find((x) => x.clientMsgId === clientMsgId);
    if (!p) return;
    p.error = null;
    transmit(conversationId, p);
  }

  function discard(conversationId: string, clientMsgId: string): void {
    removePending(conversationId, clientMsgId);
  }

  function end(conversationId: string): boolean {
    return useSocketStore().send({ type: 'conversation.end', conversationId });
  }

  function select(id: string | null): void {
    selectedId.value = id;
    if (!id) return;
    delete unread.value[id];
    const c = byId.value[id] ?? ended.value.find((x) => x.id === id);
    // Ended chats are not pushed over the socket; read them over REST once.
    if (c?.state === 'ended' && !messages.value[id]?.length) void loadTranscript(id);
  }

  async function loadTranscript(id: string): Promise<ChatMessage[]> {
    delete loadErrors.value[id];
    try {
      const { items } = await convApi.conversationMessages(id, 0);
      mergeBySeq((messages.value[id] ??= []), items);
    } catch (err) {
      loadErrors.value[id] = err instanceof Error ? err.message : String(err);
    }
    return messages.value[id] ?? [];
  }

  async function loadEnded(more = false): Promise<void> {
    if (endedLoading.value || (more && endedDone.value)) return;
    endedLoading.value = true;
    try {
      const before = more ? ended.value[ended.value.length - 1]?.id : undefined;
      const { items } = await convApi.listConversations({ state: 'ended', limit: ENDED_PAGE, before });
      const known = new Set(more ? ended.value.map((c) => c.id) : []);
      const fresh = items.filter((c) => !known.has(c.id));
      ended.value = more ? [...ended.value, ...fresh] : items;
      endedDone.value = items.length < ENDED_PAGE;
    } finally {
      endedLoading.value = false;
    }
  }

  function reset(): void {
    byId.value = {};
    messages.value = {};
    outbox.value = {};
    unread.value = {};
    drafts.value = {};
    selectedId.value = null;
    ended.value = [];
    endedDone.value = false;
    loadErrors.value = {};
    historyInFlight.clear();
  }

  return {
    byId, messages, outbox, unread, drafts, selectedId, ended, endedLoading, endedDone, loadErrors,
    mine, totalUnread, selected,
    applyReady, applyUpdated, applyMessage, applyHistory, applyAck, applyTyping, frameFailed,
    resumeList, send, resendPending, retry, discard, end, select, loadTranscript, loadEnded, reset,
  };
});
