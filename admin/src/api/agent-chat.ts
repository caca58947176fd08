// F1 agent-to-agent chat (客服对话) REST calls.
import type { AgentStatus } from '../../../protocol/codes';
import type { AgentChatMessage } from '../../../protocol/collab-types';
import { me } from './auth';
import { ApiError, request } from './http';

export interface Contact {
  id: string;
  name: string;
  disabled: boolean;
  unread: number;
  lastAt: number | null;
  /** null when the server does not know presence */
  status: AgentStatus | null;
}

export interface UploadedFile { key: string; name: string; size: number; mime: string; kind: 'image' | 'file' }

export const contacts = () => request<{ contacts: Contact[]; presence: boolean }>('GET', '/api/v1/agent-chat/contacts');
export const unread = () => request<{ unread: number }>('GET', '/api/v1/agent-chat/unread');
export const thread = (agentId: string) =>
  request<{ messages: AgentChatMessage[] }>('GET', `/api/v1/agent-chat/threads/${encodeURIComponent(agentId)}`);
export const send = (agentId: string, body: { text?: string; fileKey?: string }) =>
  request<{ message: AgentChatMessage }>('POST', `/api/v1/agent-chat/threads/${encodeURIComponent(agentId)}/messages`, { body });
export const markRead = (agentId: string) =>
  request<{ read: number }>('POST', `/api/v1/agent-chat/threads/${encodeURIComponent(agentId)}/read`);

/** Raw-body upload (the JSON wrapper cannot send bytes); the CSRF token comes from /auth/me, as http.ts keeps its copy private. */
export async function upload(file: File): Promise<UploadedFile> {
  const { csrfToken } = await me();
  const res = await fetch(`/api/v1/agent-chat/files?name=${encodeURIComponent(file.name)}`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/octet-stream' },
  });
  const data = (await res.json().catch(() => null)) as { file?: UploadedFile; error?: { code: string; message: string } } | null;
  if (!res.ok || !data?.file) throw new ApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? res.statusText);
  return data.file;
}
