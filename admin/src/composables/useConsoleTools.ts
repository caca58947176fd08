// The console tools' share of a session (E5/E6/E10/B4): load settings, canned
// items and evaluation state at start, keep 等待评估 current as chats end, and
// alert (sound / popup, per the agent's settings) on new requests and visitor
// messages while the tab is hidden.
import { onBeforeUnmount, onMounted } from 'vue';
import { useI18n } from 'vue-i18n';
import type { AgentOut } from '../../../protocol/agent-frames';
import { alertAgent } from '../lib/alerts';
import { useAuthStore } from '../stores/auth';
import { useCannedStore } from '../stores/canned';
import { useEvaluationStore } from '../stores/evaluation';
import { useQueueStore } from '../stores/queue';
import { shortcutOf, useSettingsStore } from '../stores/settings';
import { useConversationsStore } from '../stores/conversations';

export function useConsoleTools() {
  const { t } = useI18n();
  const auth = useAuthStore();
  const settings = useSettingsStore();
  const canned = useCannedStore();
  const evaluation = useEvaluationStore();
  const queue = useQueueStore();

  const alert = (title: string, body: string, tag: string) =>
    alertAgent({ sound: settings.settings.notifySound, popup: settings.settings.notifyPopup }, title, body, tag);

  /** Failures leave defaults in place; each panel offers its own reload. */
  function start(): void {
    void settings.load().catch(() => undefined);
    void canned.load().catch(() => undefined);
    void evaluation.loadTopics().catch(() => undefined);
    void evaluation.refreshPending().catch(() => undefined);
  }

  /** Call before the session's own handling, so "new in the queue" is still knowable. */
  function onFrame(f: AgentOut): void {
    if (f.type === 'conversation.updated') {
      const c = f.conversation;
      if (c.state === 'queued' && !queue.items.some((q) => q.id === c.id)) {
        alert(t('tools.alerts.newRequest'), `${c.visitorName}: ${c.firstMessage ?? ''}`, `request:${c.id}`);
      }
      if (c.state === 'ended' && c.agentId === auth.agent?.id) void evaluation.refreshPending().catch(() => undefined);
    } else if (f.type === 'message.created' && f.message.sender === 'visitor') {
      alert(t('tools.alerts.newMessage'), f.message.text, `message:${f.message.conversationId}`);
    }
  }

  return { start, onFrame };
}

export function resetConsoleTools(): void {
  useSettingsStore().reset();
  useEvaluationStore().reset();
}

/** B4 the next of my live chats after the selected one (wrapping), preferring one with unread messages. */
export function selectNextChat(): void {
  const convs = useConversationsStore();
  const list = convs.mine;
  if (!list.length) return;
  const at = list.findIndex((c) => c.id === convs.selectedId);
  const order = [...list.slice(at + 1), ...list.slice(0, at + 1)].filter((c) => c.id !== convs.selectedId);
  const next = order.find((c) => (convs.unread[c.id] ?? 0) > 0) ?? order[0];
  if (next) convs.select(next.id);
}

/** B4 the configurable next-chat shortcut (default Alt+Z), live while the console view is mounted. */
export function useNextChatShortcut(): void {
  const settings = useSettingsStore();
  const onKey = (ev: KeyboardEvent) => {
    if (ev.repeat || shortcutOf(ev) !== settings.settings.nextChatShortcut) return;
    ev.preventDefault();
    selectNextChat();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
