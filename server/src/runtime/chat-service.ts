// The chat path: turns validated frames into store writes and fan-out. Queue and
// assignment decisions are delegated to the company router (single writer per
// company); this module owns durability order: a message is acked and delivered
// only after appendMessage() resolved, i.e. after its COMMIT.
import type { AgentStatus, ChatMessage, ConversationSummary, SenderKind, WidgetState } from '../../../protocol/index.js';
import { ErrorCode } from '../../../protocol/codes.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import { AppError, ForbiddenError, NotFoundError } from '../ports/errors.js';
import type { Permission } from '../ports/account-store.js';
import type { Fanout } from './fanout.js';
import type { Logger } from '../logger.js';
import { OpenConversations, type OpenConversation } from './open-conversations.js';
import { Presence } from './presence.js';

export interface AgentIdentity {
  companyId: string;
  agentId: string;
  name: string;
  permissions: readonly Permission[];
  isAdmin: boolean;
}

export interface ChatServiceDeps {
  store: ConversationStore;
  fanout: Fanout;
  logger: Logger;
  agentGraceMs: number;
  now?: () => number;
}

export interface Ack { conversationId: string; clientMsgId: string; seq: number; at: number }

export class ChatService {
  readonly open: OpenConversations;
  readonly presence: Presence;
  private readonly store: ConversationStore;
  private readonly fanout: Fanout;
  private readonly log: Logger;
  private readonly creating = new Map<string, Promise<OpenConversation>>();

  constructor(deps: ChatServiceDeps) {
    this.store = deps.store;
    this.fanout = deps.fanout;
    this.log = deps.logger;
    this.open = new OpenConversations();
    this.presence = new Presence({
      graceMs: deps.agentGraceMs,
      onWidgetState: (companyId, state) => this.fanout.toCompanyVisitors(companyId, { v: 1, type: 'widget.state', state }),
      onStatus: (companyId, agentId, status) => this.fanout.toAgent(companyId, agentId, { v: 1, type: 'agent.status', status }),
    });
  }

  /** Rebuilds the in-memory view of open conversations after a restart. */
  async recover(): Promise<number> {
    const rows = await this.store.openConversations();
    for (const row of rows) this.open.put(row.companyId, row);
    return rows.length;
  }

  // ---- visitor side -------------------------------------------------------

  widgetState(companyId: string): WidgetState {
    return this.presence.widgetState(companyId);
  }

  /** The visitor's open conversation, if any, and what it missed since lastSeq. */
  async visitorResume(companyId: string, visitorId: string, resume?: { conversationId: string; lastSeq: number }) {
    const conv = this.open.byVisitor(companyId, visitorId);
    let missed: ChatMessage[] = [];
    if (resume) {
      const target = await this.store.get(companyId, resume.conversationId);
      if (target && target.visitorId === visitorId) {
        missed = await this.store.messagesAfter(companyId, target.id, resume.lastSeq, 1000);
        if (target.state === 'ended') return { conversation: target, missed };
      }
    }
    return { conversation: conv ?? null, missed };
  }

  async requestChat(companyId: string, visitorId: string, visitorName: string, opts: { groupId?: string; text?: string; clientMsgId?: string }) {
    const conv = await this.openOrCreate(companyId, visitorId, visitorName, opts.groupId ?? null);
    let ack: Ack | null = null;
    if (opts.text) ack = await this.visitorMessage(companyId, visitorId, conv.id, opts.clientMsgId ?? `req-${conv.id}`, opts.text);
    const pos = this.open.queuePosition(companyId, conv.id);
    return { conversation: this.open.get(conv.id) ?? conv, position: pos, ack };
  }

  /** One conversation per visitor even when two requests race (double click, two tabs). */
  private openOrCreate(companyId: string, visitorId: string, visitorName: string, groupId: string | null): Promise<OpenConversation> {
    const existing = this.open.byVisitor(companyId, visitorId);
    if (existing) return Promise.resolve(existing);
    const key = `${companyId}/${visitorId}`;
    let pending = this.creating.get(key);
    if (!pending) {
      pending = this.createQueued(companyId, visitorId, visitorName, groupId).finally(() => this.creating.delete(key));
      this.creating.set(key, pending);
    }
    return pending;
  }

  private async createQueued(companyId: string, visitorId: string, visitorName: string, groupId: string | null): Promise<OpenConversation> {
    const conv = await this.store.createConversation({ companyId, visitorId, visitorName, groupId });
    const open = this.open.put(companyId, conv);
    this.publishQueue(companyId);
    return open;
  }

  async visitorMessage(companyId: string, visitorId: string, conversationId: string, clientMsgId: string, text: string): Promise<Ack> {
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== companyId || conv.visitorId !== visitorId) throw new NotFoundError('conversation');
    return this.append(conv, 'visitor', visitorId, conv.visitorName, clientMsgId, text);
  }

  visitorTyping(companyId: string, visitorId: string, conversationId: string, draft: string | undefined): void {
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== companyId || conv.visitorId !== visitorId || !conv.agentId) return;
    this.fanout.toAgent(companyId, conv.agentId, { v: 1, type: 'typing', conversationId, who: 'visitor', ...(draft === undefined ? {} : { draft }) });
  }

  async visitorEnd(companyId: string, visitorId: string, conversationId: string): Promise<void> {
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== companyId || conv.visitorId !== visitorId) throw new NotFoundError('conversation');
    await this.end(conv, 'visitor');
  }

  // ---- agent side ---------------------------------------------------------

  agentConnected(who: AgentIdentity): AgentStatus {
    return this.presence.connect(who.companyId, who.agentId, who.permissions.includes('accept_chats'));
  }

  agentDisconnected(who: AgentIdentity): void {
    this.presence.disconnect(who.companyId, who.agentId);
  }

  setStatus(who: AgentIdentity, status: AgentStatus): AgentStatus {
    if (status === 'invisible' && !who.isAdmin) throw new ForbiddenError('only an admin can be invisible');
    if (!who.permissions.includes('accept_chats') && status !== 'away' && status !== 'offline') {
      throw new ForbiddenError('an agent without the accept permission can only be away');
    }
    return this.presence.setStatus(who.companyId, who.agentId, status);
  }

  queue(companyId: string): ConversationSummary[] {
    return this.open.queue(companyId).map(summary);
  }

  myConversations(who: AgentIdentity): ConversationSummary[] {
    return this.open.ofAgent(who.companyId, who.agentId).map(summary);
  }

  async accept(who: AgentIdentity, conversationId: string): Promise<ConversationSummary> {
    if (!who.permissions.includes('accept_chats')) throw new ForbiddenError('you may not accept chats');
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== who.companyId) throw new NotFoundError('conversation');
    if (conv.state !== 'queued') throw new AppError(ErrorCode.AlreadyTaken, 'this chat was already taken', 409);
    // Claim in memory first (single-threaded), so a second accept fails at once.
    this.open.assign(conv.id, who.agentId);
    try {
      await this.store.assign(who.companyId, conv.id, who.agentId);
    } catch (err) {
      this.open.requeue(conv.id);
      throw err;
    }
    // The accepting agent hears first, then the visitor, then everyone's waiting list.
    const s = summary(conv);
    this.fanout.toAgent(who.companyId, who.agentId, { v: 1, type: 'conversation.updated', conversation: s });
    this.fanout.toVisitor(conv.companyId, conv.visitorId, { v: 1, type: 'chat.assigned', conversationId: conv.id, agent: { id: who.agentId, name: who.name } });
    this.publishQueue(who.companyId);
    return s;
  }

  async agentMessage(who: AgentIdentity, conversationId: string, clientMsgId: string, text: string): Promise<Ack> {
    const conv = this.ownActive(who, conversationId);
    return this.append(conv, 'agent', who.agentId, who.name, clientMsgId, text);
  }

  agentTyping(who: AgentIdentity, conversationId: string): void {
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== who.companyId || conv.agentId !== who.agentId) return;
    this.fanout.toVisitor(conv.companyId, conv.visitorId, { v: 1, type: 'typing', conversationId, who: 'agent' });
  }

  async agentEnd(who: AgentIdentity, conversationId: string): Promise<void> {
    await this.end(this.ownActive(who, conversationId), 'agent');
  }

  /** History of a conversation the agent may read (its own, or any in its company for now). */
  async history(who: AgentIdentity, conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
    const conv = await this.store.get(who.companyId, conversationId);
    if (!conv) throw new NotFoundError('conversation');
    return this.store.messagesAfter(who.companyId, conversationId, afterSeq, 1000);
  }

  // ---- shared -------------------------------------------------------------

  private ownActive(who: AgentIdentity, conversationId: string): OpenConversation {
    const conv = this.open.get(conversationId);
    if (!conv || conv.companyId !== who.companyId) throw new NotFoundError('conversation');
    if (conv.agentId !== who.agentId) throw new ForbiddenError('this chat is not yours');
    return conv;
  }

  private async append(conv: OpenConversation, sender: SenderKind, senderId: string, senderName: string, clientMsgId: string, text: string): Promise<Ack> {
    const { message, duplicate } = await this.store.appendMessage({
      companyId: conv.companyId, conversationId: conv.id, sender, senderId, senderName, text, clientMsgId,
    });
    if (!duplicate) {
      this.open.noteMessage(conv.id, message);
      this.deliver(conv, message);
      if (conv.state === 'queued' && message.seq === 1) this.publishQueue(conv.companyId);
    }
    return { conversationId: conv.id, clientMsgId, seq: message.seq, at: message.at };
  }

  private deliver(conv: OpenConversation, message: ChatMessage): void {
    const frame = { v: 1 as const, type: 'message.created' as const, message };
    this.fanout.toVisitor(conv.companyId, conv.visitorId, frame);
    if (conv.agentId) this.fanout.toAgent(conv.companyId, conv.agentId, frame);
  }

  private async end(conv: OpenConversation, by: SenderKind): Promise<void> {
    await this.store.end(conv.companyId, conv.id, by);
    const wasQueued = conv.state === 'queued';
    this.open.remove(conv.id);
    this.fanout.toVisitor(conv.companyId, conv.visitorId, { v: 1, type: 'chat.ended', conversationId: conv.id, by });
    if (conv.agentId) {
      this.fanout.toAgent(conv.companyId, conv.agentId, {
        v: 1, type: 'conversation.updated', conversation: { ...summary(conv), state: 'ended', endedAt: Date.now() },
      });
    }
    if (wasQueued) this.publishQueue(conv.companyId);
  }

  private publishQueue(companyId: string): void {
    const queue = this.queue(companyId);
    this.fanout.toQueueWatchers(companyId, { v: 1, type: 'queue.snapshot', queue });
    queue.forEach((c, i) => {
      this.fanout.toVisitor(companyId, c.visitorId, { v: 1, type: 'queue.position', conversationId: c.id, position: i + 1, ahead: i });
    });
  }

  close(): void {
    this.presence.close();
  }
}

function summary(c: OpenConversation): ConversationSummary {
  return {
    id: c.id, visitorId: c.visitorId, visitorName: c.visitorName, state: c.state, agentId: c.agentId, groupId: c.groupId,
    createdAt: c.createdAt, endedAt: null, lastSeq: c.lastSeq, firstMessage: c.firstMessage,
  };
}
