// Chat extras in the console: files both ways and declining (E2/E3), the rating
// (E8), pushing the survey / info form (E7) and the visitor profile with its L1
// member identity. It listens to the one agent socket for its own frame types
// only; everything else stays with composables/useConsoleSession.ts.
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { AgentOut } from '../../../protocol/agent-frames';
import type { Attachment, Rating, VisitorProfile } from '../../../protocol/schema-common';
import { ApiError, request } from '../api/http';
import { uploadRaw } from '../api/upload';
import '../i18n/chat-extras';
import { useConversationsStore } from './conversations';
import { useSocketStore } from './socket';

export interface ConversationExtras { rating: Rating | null; profile: VisitorProfile }

const newId = () => `x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export const useChatExtrasStore = defineStore('chatExtras', () => {
  const socket = useSocketStore();
  const convs = useConversationsStore();
  const byConversation = ref<Record<string, ConversationExtras>>({});
  /** upload progress / errors per conversation, shown under the reply box */
  const uploads = ref<Record<string, { name: string; error: string | null } | null>>({});

  function onFrame(f: AgentOut): void {
    if (f.type === 'conversation.rated') {
      const cur = byConversation.value[f.conversationId];
      byConversation.value[f.conversationId] = { profile: cur?.profile ?? { member: null, fields: {} }, rating: f.rating };
    } else if (f.type === 'visitor.profile') {
      const cur = byConversation.value[f.conversationId];
      byConversation.value[f.conversationId] = { rating: cur?.rating ?? null, profile: f.profile };
    } else if (f.type === 'file.declined') {
      for (const m of convs.messages[f.conversationId] ?? []) {
        if (m.attachment?.key === f.fileKey) m.attachment = { ...m.attachment, declined: true };
      }
    }
  }

  // Our frames arrive on the same socket: listen beside the session's handler.
  const EXTRA_TYPES = new Set(['conversation.rated', 'visitor.profile', 'file.declined']);
  watch(() => socket.ws, (ws) => {
    ws?.addEventListener('message', (ev: MessageEvent) => {
      if (typeof ev.data !== 'string' || !/"type":"(conversation\.rated|visitor\.profile|file\.declined)"/.test(ev.data)) return;
      try {
        const f = JSON.parse(ev.data) as AgentOut;
        if (EXTRA_TYPES.has(f.type)) onFrame(f);
      } catch { /* not ours */ }
    });
  }, { immediate: true });

  async function load(conversationId: string): Promise<void> {
    try {
      byConversation.value[conversationId] = await request<ConversationExtras>('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}/extras`);
    } catch { /* the pane works without extras */ }
  }

  const push = (type: 'rating.push' | 'form.push', conversationId: string) => socket.send({ type, conversationId, ref: newId() });

  function decline(conversationId: string, fileKey: string): boolean {
    return socket.send({ type: 'file.decline', conversationId, fileKey, ref: newId() });
  }

  /** Uploads each file (paste, picker or screenshot), then sends it into the chat. */
  async function sendFiles(conversationId: string, files: File[]): Promise<void> {
    for (const file of files) {
      const name = file.name || 'screenshot.png';
      uploads.value[conversationId] = { name, error: null };
      try {
        const body = await uploadRaw<{ file: Attachment }>(`/api/v1/files?conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(name)}`, file);
        if (!socket.send({ type: 'file.send', conversationId, clientMsgId: newId(), fileKey: body.file.key })) throw new ApiError(0, 'offline', 'offline');
        uploads.value[conversationId] = null;
      } catch (err) {
        uploads.value[conversationId] = { name, error: err instanceof Error ? err.message : String(err) };
        return;
      }
    }
  }

  return { byConversation, uploads, load, push, decline, sendFiles };
});
