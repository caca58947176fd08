// Routing controls on the console: colleagues for 传送对话, incoming 响应传送
// and auto-assignment offers, 监控客服 (watched agents, their chats, whispers).
// Fed by useConsoleSession; sends through the one socket.
import { ElMessage } from 'element-plus';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { AgentListItem, AgentOut, Whisper } from '../../../protocol/agent-frames';
import type { ConversationSummary } from '../../../protocol/schema-common';
import { i18n } from '../i18n';
import { lastSeq, newClientMsgId } from '../lib/message-list';
import { useAuthStore } from './auth';
import { useConversationsStore } from './conversations';
import { useSocketStore } from './socket';

/** An offer shown in a dialog, with when it runs out. */
export interface Offer {
  conversation: ConversationSummary;
  expiresAt: number;
  totalMs: number;
  fromAgentId?: string;
}

type Frame<T extends AgentOut['type']> = Extract<AgentOut, { type: T }>;

export const useRoutingStore = defineStore('routing', () => {
  const agents = ref<AgentListItem[]>([]);
  const transferOffers = ref<Offer[]>([]);
  const chatOffers = ref<Offer[]>([]);
  /** agentId → watched */
  const monitoring = ref<Record<string, boolean>>({});
  const whispers = ref<Record<string, Whisper[]>>({});
  const convs = useConversationsStore();
  const socket = useSocketStore();
  const t = i18n.global.t;

  const monitored = computed(() =>
    Object.values(convs.byId)
      .filter((c) => c.agentId && monitoring.value[c.agentId] && c.agentId !== useAuthStore().agent?.id && (c.state === 'active' || c.state === 'transferring'))
      .sort((a, b) => a.createdAt - b.createdAt),
  );
  const isMonitored = (c: ConversationSummary) => !!c.agentId && !!monitoring.value[c.agentId] && c.agentId !== useAuthStore().agent?.id;
  const agentName = (id: string) => {
    const me = useAuthStore().agent;
    return me?.id === id ? me.name : (agents.value.find((a) => a.id === id)?.name ?? id);
  };

  function onAgents(f: Frame<'agents.list'>): void {
    agents.value = f.agents;
  }
  function onChatOffered(f: Frame<'chat.offered'>): void {
    chatOffers.value = [...chatOffers.value.filter((o) => o.conversation.id !== f.conversation.id), { conversation: f.conversation, expiresAt: Date.now() + f.timeoutMs, totalMs: f.timeoutMs }];
  }
  function onOfferWithdrawn(f: Frame<'chat.offer.withdrawn'>): void {
    dropOffer(f.conversationId);
  }
  function onTransferOffered(f: Frame<'transfer.offered'>): void {
    if (!agents.value.some((a) => a.id === f.fromAgentId)) loadAgents();
    transferOffers.value = [
      ...transferOffers.value.filter((o) => o.conversation.id !== f.conversation.id),
      { conversation: f.conversation, expiresAt: Date.now() + f.timeoutMs, totalMs: f.timeoutMs, fromAgentId: f.fromAgentId },
    ];
  }
  function onTransferResult(f: Frame<'transfer.result'>): void {
    transferOffers.value = transferOffers.value.filter((o) => o.conversation.id !== f.conversationId);
    const text = t(`routing.transfer.result.${f.result}`, { name: agentName(f.toAgentId) });
    if (f.result === 'accepted') ElMessage.success(text);
    else ElMessage.warning(text);
  }
  /** D6: a supervisor took over one of my active chats (a transfer passes through 'transferring' and has its own notice). */
  function noticeTakenOver(before: ConversationSummary | undefined, after: ConversationSummary): void {
    const me = useAuthStore().agent?.id;
    if (!me || before?.agentId !== me || before.state !== 'active' || after.state !== 'active' || !after.agentId || after.agentId === me) return;
    ElMessage.warning(t('supervision.takenOver', { name: agentName(after.agentId), visitor: after.visitorName }));
  }
  function onMonitorState(f: Frame<'monitor.state'>): void {
    monitoring.value = { ...monitoring.value, [f.agentId]: f.active };
    for (const c of f.conversations) convs.applyUpdated(c);
  }
  function onWhisper(f: Frame<'whisper.created'>): void {
    const list = (whispers.value[f.whisper.conversationId] ??= []);
    if (!list.some((w) => w.id === f.whisper.id)) list.push(f.whisper);
  }

  function loadAgents(): void {
    socket.send({ type: 'agents.list', ref: 'agents.list' });
  }
  function requestTransfer(conversationId: string, toAgentId: string): boolean {
    return socket.send({ type: 'transfer.request', conversationId, toAgentId });
  }
  function respondTransfer(conversationId: string, accept: boolean, includeHistory: boolean): void {
    if (!socket.send({ type: 'transfer.respond', conversationId, accept, includeHistory })) return;
    transferOffers.value = transferOffers.value.filter((o) => o.conversation.id !== conversationId);
    if (accept) openWhenMine(conversationId);
  }
  function respondOffer(conversationId: string, accept: boolean): void {
    if (!socket.send({ type: accept ? 'conversation.accept' : 'conversation.decline', conversationId })) return;
    dropOffer(conversationId);
    if (accept) openWhenMine(conversationId);
  }
  /** Opens the chat once the server says it is ours (or gives up after a while). */
  function openWhenMine(id: string): void {
    const stop = watch(() => convs.byId[id]?.agentId, (a) => {
      if (a !== useAuthStore().agent?.id || convs.byId[id]?.state !== 'active') return;
      convs.select(id);
      stop();
    }, { immediate: true });
    setTimeout(stop, 30_000);
  }
  function dropOffer(id: string): void {
    chatOffers.value = chatOffers.value.filter((o) => o.conversation.id !== id);
  }
  function setMonitor(agentId: string, on: boolean): void {
    socket.send({ type: on ? 'monitor.start' : 'monitor.stop', agentId });
  }
  /** A watched chat's messages so far; later ones come live. */
  function loadMonitored(id: string): void {
    socket.send({ type: 'conversation.history', conversationId: id, afterSeq: lastSeq(convs.messages[id] ?? []), ref: `history:${id}` });
  }
  function whisper(conversationId: string, text: string): void {
    const clientMsgId = newClientMsgId();
    socket.send({ type: 'whisper.send', conversationId, clientMsgId, text, ref: clientMsgId });
  }
  function takeover(conversationId: string): void {
    if (socket.send({ type: 'conversation.takeover', conversationId })) openWhenMine(conversationId);
  }

  function reset(): void {
    agents.value = [];
    transferOffers.value = [];
    chatOffers.value = [];
    monitoring.value = {};
    whispers.value = {};
  }

  return {
    agents, transferOffers, chatOffers, monitoring, whispers, monitored, isMonitored, agentName,
    onAgents, onChatOffered, onOfferWithdrawn, onTransferOffered, onTransferResult, noticeTakenOver, onMonitorState, onWhisper,
    loadAgents, requestTransfer, respondTransfer, respondOffer, setMonitor, loadMonitored, whisper, takeover, reset,
  };
});
