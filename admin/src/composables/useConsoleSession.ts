// Wires the socket to the stores for one console session: what each server
// frame means, what hello resumes, and what happens when the socket gives up.
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import type { AgentOut } from '../../../protocol/agent-frames';
import { me } from '../api/auth';
import { ApiError } from '../api/http';
import { useAuthStore } from '../stores/auth';
import { useConversationsStore } from '../stores/conversations';
import { useQueueStore } from '../stores/queue';
import { useVisitorsStore } from '../stores/visitors';
import { useSocketStore, type StopReason } from '../stores/socket';
import { useAgentChatStore } from '../stores/agent-chat';
import { useBroadcastsStore } from '../stores/broadcasts';
import { useRoutingStore } from '../stores/routing';
import { resetConsoleTools, useConsoleTools } from './useConsoleTools';

export function useConsoleSession() {
  const auth = useAuthStore();
  const socket = useSocketStore();
  const convs = useConversationsStore();
  const queue = useQueueStore();
  const visitors = useVisitorsStore();
  const router = useRouter();
  const { t, te } = useI18n();
  const tools = useConsoleTools();

  function onFrame(f: AgentOut): void {
    tools.onFrame(f);
    switch (f.type) {
      case 'agent.ready':
        auth.status = f.agent.status;
        auth.autoAway = false;
        queue.replace(f.queue);
        convs.applyReady(f.conversations);
        return;
      case 'agent.status':
        auth.status = f.status;
        auth.autoAway = f.autoAway === true && f.status === 'away';
        if (auth.autoAway) ElMessage.warning(t('presence.autoAway'));
        return;
      case 'queue.snapshot':
        queue.replace(f.queue);
        return;
      case 'conversation.updated': {
        // A chat this tab just accepted opens at once: the agent clicked to talk.
        const acceptedHere = queue.accepting[f.conversation.id] === true && f.conversation.state === 'active';
        useRoutingStore().noticeTakenOver(convs.byId[f.conversation.id], f.conversation);
        queue.applyUpdated(f.conversation);
        convs.applyUpdated(f.conversation);
        if (acceptedHere) convs.select(f.conversation.id);
        return;
      }
      case 'message.created':
        convs.applyMessage(f.message);
        return;
      case 'message.ack':
        convs.applyAck(f);
        return;
      case 'conversation.history':
        convs.applyHistory(f.conversationId, f.messages);
        return;
      case 'typing':
        convs.applyTyping(f.conversationId, f.draft);
        return;
      case 'visitors.snapshot':
        visitors.replace(f.visitors);
        return;
      case 'visitor.updated':
        visitors.upsert(f.visitor);
        return;
      case 'visitor.left':
        visitors.remove(f.visitorId);
        return;
      case 'agentchat.message':
        useAgentChatStore().applyMessage(f.message);
        return;
      case 'broadcast.received':
        useBroadcastsStore().receive(f.broadcast);
        return;
      case 'agent.permissions':
        // A5: an admin changed me; the server already enforces it, the console follows at once.
        if (auth.agent) auth.agent = { ...auth.agent, role: f.role, permissions: f.permissions };
        if (f.disabled) socket.stop('forbidden');
        else ElMessage.warning(t('collab.agents.revoked'));
        return;
      // routing controls: transfer, offers, monitoring
      case 'agents.list':
        useRoutingStore().onAgents(f);
        return;
      case 'chat.offered':
        useRoutingStore().onChatOffered(f);
        return;
      case 'chat.offer.withdrawn':
        useRoutingStore().onOfferWithdrawn(f);
        return;
      case 'transfer.offered':
        useRoutingStore().onTransferOffered(f);
        return;
      case 'transfer.result':
        useRoutingStore().onTransferResult(f);
        return;
      case 'monitor.state':
        useRoutingStore().onMonitorState(f);
        return;
      case 'whisper.created':
        useRoutingStore().onWhisper(f);
        return;
      case 'widget.state':
      case 'pong':
        return;
      case 'error':
        if (f.ref) {
          queue.acceptFailed(f.ref);
          convs.frameFailed(f.ref, f.code);
        }
        showError(f.code, f.message);
        return;
    }
  }

  function showError(code: string, message: string): void {
    const key = `errors.${code}`;
    ElMessage.error(te(key) ? t(key) : t('errors.generic', { message: message || code }));
  }

  function onStopped(reason: StopReason): void {
    if (reason === 'logout') return;
    if (reason === 'replaced') ElMessage.warning(t('connection.replaced'));
    // agent.permissions with disabled, or 4003 on the agent socket: an admin disabled or deleted this account (A5).
    if (reason === 'forbidden') ElMessage.error(t('collab.agents.disabledSelf'));
    auth.clear();
    void router.replace({ name: 'login' });
  }

  /** Only a definite 401 ends the session; a server that is down is retried. */
  async function sessionAlive(): Promise<boolean> {
    try {
      await me();
      return true;
    } catch (err) {
      return !(err instanceof ApiError && err.status === 401);
    }
  }

  function start(): void {
    if (socket.state !== 'idle' && socket.state !== 'stopped') return;
    tools.start();
    socket.start({ resume: convs.resumeList, onFrame, onReady: convs.resendPending, onStopped, sessionAlive });
  }

  return { start };
}

/** Log out everywhere in the console: socket first so it does not reconnect. */
export async function endConsoleSession(): Promise<void> {
  useSocketStore().stop('logout');
  try {
    await useAuthStore().logout();
  } finally {
    useConversationsStore().reset();
    useQueueStore().reset();
    useVisitorsStore().reset();
    resetConsoleTools();
    useAgentChatStore().reset();
    useBroadcastsStore().reset();
    useRoutingStore().reset();
  }
}
