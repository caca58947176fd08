// In-memory index of queued and active conversations, rebuilt from Postgres on
// boot. The queue order is creation order (FIFO per company).
import type { ChatMessage, ConversationSummary } from '../../../protocol/index.js';

export interface OpenConversation {
  id: string;
  companyId: string;
  visitorId: string;
  visitorName: string;
  groupId: string | null;
  agentId: string | null;
  state: 'queued' | 'active' | 'transferring';
  createdAt: number;
  lastSeq: number;
  firstMessage: string | null;
}

export class OpenConversations {
  private readonly byId = new Map<string, OpenConversation>();
  private readonly visitorIndex = new Map<string, string>();

  put(companyId: string, c: ConversationSummary): OpenConversation {
    const open: OpenConversation = {
      id: c.id, companyId, visitorId: c.visitorId, visitorName: c.visitorName, groupId: c.groupId, agentId: c.agentId,
      state: c.state === 'ended' ? 'active' : (c.state as OpenConversation['state']), createdAt: c.createdAt, lastSeq: c.lastSeq, firstMessage: c.firstMessage,
    };
    this.byId.set(c.id, open);
    this.visitorIndex.set(`${companyId}/${c.visitorId}`, c.id);
    return open;
  }

  get(id: string): OpenConversation | undefined {
    return this.byId.get(id);
  }

  byVisitor(companyId: string, visitorId: string): OpenConversation | undefined {
    const id = this.visitorIndex.get(`${companyId}/${visitorId}`);
    return id ? this.byId.get(id) : undefined;
  }

  assign(id: string, agentId: string): void {
    const c = this.byId.get(id);
    if (c) { c.agentId = agentId; c.state = 'active'; }
  }

  requeue(id: string): void {
    const c = this.byId.get(id);
    if (c) { c.agentId = null; c.state = 'queued'; }
  }

  noteMessage(id: string, m: ChatMessage): void {
    const c = this.byId.get(id);
    if (!c) return;
    if (m.seq > c.lastSeq) c.lastSeq = m.seq;
    if (c.firstMessage === null && m.sender === 'visitor') c.firstMessage = m.text;
  }

  remove(id: string): void {
    const c = this.byId.get(id);
    if (!c) return;
    this.byId.delete(id);
    const key = `${c.companyId}/${c.visitorId}`;
    if (this.visitorIndex.get(key) === id) this.visitorIndex.delete(key);
  }

  queue(companyId: string): OpenConversation[] {
    return [...this.byId.values()].filter((c) => c.companyId === companyId && c.state === 'queued').sort((a, b) => a.createdAt - b.createdAt);
  }

  queuePosition(companyId: string, id: string): number | null {
    const i = this.queue(companyId).findIndex((c) => c.id === id);
    return i < 0 ? null : i + 1;
  }

  queueLengthAll(): number {
    let n = 0;
    for (const c of this.byId.values()) if (c.state === 'queued') n++;
    return n;
  }

  ofAgent(companyId: string, agentId: string): OpenConversation[] {
    return [...this.byId.values()].filter((c) => c.companyId === companyId && c.agentId === agentId);
  }
}
