// The visitor side of one chat, without any DOM: turns server frames into a view
// model and visitor actions into frames. Unacked messages stay pending and are
// resent with the same clientMsgId after every (re)connect; the server's replay
// after `visitor.hello { resume }` is de-duplicated by seq in MessageLog.
import type { WidgetState } from '../../../protocol/codes.js';
import type { VisitorIn, VisitorOut } from '../../../protocol/visitor-frames.js';
import type { FormField } from '../../../protocol/schema-common.js';
import { MessageLog, type LogEntry } from './message-log.js';
import { throttle, realTimers, type Throttled, type Timers } from './throttle.js';

export type Phase = 'idle' | 'queued' | 'active' | 'ended';

export interface SessionView {
  widget: WidgetState | null;
  phase: Phase;
  conversationId: string | null;
  position: number | null;
  agent: { id: string; name: string } | null;
  agentTyping: boolean;
  endedBy: 'visitor' | 'agent' | 'system' | null;
  /** last error code from the server, for a short notice */
  error: string | null;
  /** E8: the agent pushed the survey and it has not been answered yet */
  ratingAsked: boolean;
  /** E8: the score the server saved for this chat */
  rated: number | null;
  /** E7: fields of the info form the agent pushed, until submitted */
  form: FormField[] | null;
  formSaved: boolean;
}

/** Small key/value store (the iframe's localStorage, or a Map in tests). */
export interface KV {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

type Hello = Extract<VisitorIn, { type: 'visitor.hello' }>;

export interface SessionDeps {
  send(frame: VisitorIn): boolean;
  /** Hello without `resume`; the session adds it. */
  hello(): Omit<Hello, 'resume'>;
  newId(): string;
  now(): number;
  store: KV;
  storeKey: string;
  groupId?: string;
  timers?: Timers;
  typingIntervalMs?: number;
  /** agent typing indicator lifetime without a new typing frame */
  typingHoldMs?: number;
  onChange(): void;
  /** A new agent message arrived (not a replayed duplicate). */
  onAgentMessage?(entry: { text: string; senderName?: string }): void;
  onAssigned?(agent: { id: string; name: string }): void;
}

const asWidgetState = (s: string): WidgetState => (s === 'online' || s === 'busy' ? s : 'offline');

/** Errors after which resending the same frame cannot succeed. */
const PERMANENT = ['bad_frame', 'too_large', 'forbidden', 'blocked', 'not_found', 'unauthorized'];

export class Session {
  readonly log = new MessageLog();
  readonly view: SessionView = {
    widget: null,
    phase: 'idle',
    conversationId: null,
    position: null,
    agent: null,
    agentTyping: false,
    endedBy: null,
    error: null,
    ratingAsked: false,
    rated: null,
    form: null,
    formSaved: false,
  };
  /** J5 answers to send once the chat the pre-chat form opened has an id */
  private prechatAnswers: Record<string, string> | null = null;
  /** clientMsgIds sent on the current socket, so one connection never sends one twice */
  private sentHere = new Set<string>();
  private resumedId: string | null = null;
  /** Messages up to this seq are history replayed into a fresh window, not news. */
  private historySeq = 0;
  private typingTimer: unknown = null;
  /** the chat that ended last, so it can still be rated (E8) */
  private lastConversationId: string | null = null;
  private readonly timers: Timers;
  private readonly sendDraft: Throttled<string>;

  constructor(private readonly deps: SessionDeps) {
    this.timers = deps.timers ?? realTimers;
    const stored = deps.store.get(deps.storeKey);
    if (stored) this.view.conversationId = stored;
    this.sendDraft = throttle((draft: string) => {
      const id = this.view.conversationId;
      if (id && this.view.phase !== 'ended') this.deps.send({ v: 1, type: 'typing', conversationId: id, draft });
    }, deps.typingIntervalMs ?? 300, this.timers);
  }

  /** The socket (re)opened: introduce ourselves and ask for what we missed. */
  handleOpen(): void {
    this.sentHere = new Set();
    const hello: Hello = { ...this.deps.hello() };
    const id = this.view.conversationId;
    if (id) hello.resume = { conversationId: id, lastSeq: this.log.lastSeq };
    this.resumedId = id;
    this.deps.send(hello);
  }

  handleFrame(f: VisitorOut): void {
    const v = this.view;
    switch (f.type) {
      case 'visitor.ready': {
        v.widget = asWidgetState(f.widget);
        const c = f.conversation;
        if (c && c.state !== 'ended') {
          if (this.log.size === 0) this.historySeq = c.lastSeq;
          this.setConversation(c.id);
          v.phase = c.state === 'queued' ? 'queued' : 'active';
          if (this.resumedId !== c.id) {
            // We did not know this chat (storage cleared, new tab): ask for its history.
            this.resumedId = c.id;
            this.deps.send({ ...this.deps.hello(), resume: { conversationId: c.id, lastSeq: this.log.lastSeq } });
          }
        } else if (v.conversationId) {
          // Our chat ended while we were away.
          this.deps.store.remove(this.deps.storeKey);
          v.conversationId = null;
          v.phase = this.log.size > 0 ? 'ended' : 'idle';
        }
        this.flushPending();
        break;
      }
      case 'widget.state':
        v.widget = asWidgetState(f.state);
        break;
      case 'chat.queued':
      case 'queue.position':
        if (f.type === 'chat.queued') {
          this.setConversation(f.conversationId);
          v.phase = 'queued';
          v.endedBy = null;
          if (this.prechatAnswers) {
            this.deps.send({ v: 1, type: 'form.submit', conversationId: f.conversationId, fields: this.prechatAnswers });
            this.prechatAnswers = null;
          }
        }
        if (f.conversationId === v.conversationId && v.phase === 'queued') v.position = f.position;
        this.flushPending();
        break;
      case 'chat.assigned':
        this.setConversation(f.conversationId);
        v.phase = 'active';
        v.position = null;
        v.agent = f.agent;
        this.deps.onAssigned?.(f.agent);
        this.flushPending();
        break;
      case 'message.created': {
        const m = f.message;
        // Only the current chat: replays of an ended one (after a reload) are not shown,
        // and their seqs must not shadow the next chat's.
        if (m.conversationId !== v.conversationId) return;
        if (!this.log.addCreated(m)) return;
        if (m.sender === 'agent' && m.seq > this.historySeq) {
          this.setAgentTyping(false);
          this.deps.onAgentMessage?.({ text: m.text, senderName: m.senderName });
        }
        break;
      }
      case 'message.ack':
        if (!this.log.ack(f.clientMsgId, f.seq, f.at)) return;
        if (!v.conversationId) this.setConversation(f.conversationId);
        break;
      case 'typing':
        if (f.conversationId !== v.conversationId) return;
        this.setAgentTyping(true);
        break;
      case 'chat.ended':
        if (f.conversationId !== v.conversationId) return;
        this.lastConversationId = f.conversationId;
        v.phase = 'ended';
        v.endedBy = f.by;
        v.position = null;
        this.setAgentTyping(false);
        this.sendDraft.cancel();
        this.deps.store.remove(this.deps.storeKey);
        break;
      case 'error':
        v.error = f.code;
        if (f.ref && PERMANENT.indexOf(f.code) >= 0) this.log.fail(f.ref);
        break;
      case 'rating.requested':
        if (f.conversationId !== v.conversationId) return;
        v.ratingAsked = true;
        break;
      case 'rating.saved':
        v.rated = f.score;
        v.ratingAsked = false;
        break;
      case 'form.requested':
        if (f.conversationId !== v.conversationId) return;
        v.form = f.fields;
        v.formSaved = false;
        break;
      case 'form.saved':
        if (!v.form) return;
        v.form = null;
        v.formSaved = true;
        break;
      case 'file.declined':
        if (!this.log.decline(f.fileKey)) return;
        break;
      case 'pong':
        return;
      default:
        return;
    }
    this.deps.onChange();
  }

  /** The visitor sends a message: pending at once, delivered now or after reconnect. */
  sendText(raw: string): LogEntry | null {
    const text = raw.trim();
    if (!text) return null;
    if (this.view.phase === 'ended') this.startNew();
    const entry = this.log.addPending(this.deps.newId(), text, this.deps.now());
    this.sendDraft.cancel();
    this.view.error = null;
    this.flushPending();
    this.deps.onChange();
    return entry;
  }

  /** Introduce ourselves again (the pre-chat form gave a name): same hello, without resume. */
  sayHello(): boolean {
    return this.deps.send({ ...this.deps.hello() });
  }

  /** E2/E3: a file uploaded for the current chat goes in as a message. */
  sendFile(fileKey: string): boolean {
    const id = this.view.conversationId;
    if (!id || this.view.phase === 'ended' || this.view.phase === 'idle') return false;
    const cid = this.deps.newId();
    return this.deps.send({ v: 1, type: 'file.send', ref: cid, conversationId: id, clientMsgId: cid, fileKey });
  }

  /** E8: rate the current chat, or the one that just ended. */
  rate(score: number, comment: string): boolean {
    const id = this.view.conversationId ?? this.lastConversationId;
    if (!id) return false;
    return this.deps.send({ v: 1, type: 'rating.submit', conversationId: id, score, ...(comment ? { comment: comment.slice(0, 500) } : {}) });
  }

  submitForm(fields: Record<string, string>): boolean {
    const id = this.view.conversationId;
    if (!id) return false;
    return this.deps.send({ v: 1, type: 'form.submit', conversationId: id, fields });
  }

  /** J5: the pre-chat form opens the chat in its question's group; answers follow chat.queued. */
  requestChat(groupId: string | null, answers: Record<string, string>): boolean {
    this.prechatAnswers = Object.keys(answers).length ? answers : null;
    const req: VisitorIn = { v: 1, type: 'chat.request' };
    const g = groupId ?? this.deps.groupId;
    if (g) req.groupId = g;
    return this.deps.send(req);
  }

  /** Stream the draft to the agent (E4), throttled. */
  setDraft(draft: string): void {
    if (this.view.conversationId && this.view.phase !== 'ended') this.sendDraft(draft.slice(0, 5000));
  }

  endChat(): void {
    const id = this.view.conversationId;
    if (!id || this.view.phase === 'ended') return;
    this.deps.send({ v: 1, type: 'chat.end', conversationId: id });
  }

  /** Leave an ended chat behind and start over. */
  startNew(): void {
    this.log.resetStored();
    Object.assign(this.view, { phase: 'idle', conversationId: null, position: null, agent: null, endedBy: null, agentTyping: false, ratingAsked: false, rated: null, form: null, formSaved: false });
    this.lastConversationId = null;
    this.deps.store.remove(this.deps.storeKey);
    this.deps.onChange();
  }

  /** Send every unacked message not yet sent on this socket, in order. */
  private flushPending(): void {
    const id = this.view.conversationId;
    for (const p of this.log.unacked()) {
      const cid = p.clientMsgId as string;
      if (this.sentHere.has(cid)) continue;
      let ok: boolean;
      if (id && this.view.phase !== 'ended') {
        ok = this.deps.send({ v: 1, type: 'message.send', ref: cid, conversationId: id, clientMsgId: cid, text: p.text });
      } else {
        // No chat yet: the first message opens one; the rest wait for chat.queued.
        if (this.sentHere.size > 0) return;
        const req: VisitorIn = { v: 1, type: 'chat.request', ref: cid, clientMsgId: cid, text: p.text };
        if (this.deps.groupId) req.groupId = this.deps.groupId;
        ok = this.deps.send(req);
        if (ok) this.sentHere.add(cid);
        return;
      }
      if (!ok) return;
      this.sentHere.add(cid);
    }
  }

  private setConversation(id: string): void {
    if (this.view.conversationId === id) return;
    if (this.view.conversationId) this.log.resetStored();
    this.view.conversationId = id;
    this.deps.store.set(this.deps.storeKey, id);
  }

  private setAgentTyping(on: boolean): void {
    if (this.typingTimer !== null) this.timers.clearTimeout(this.typingTimer);
    this.typingTimer = null;
    this.view.agentTyping = on;
    if (on) {
      this.typingTimer = this.timers.setTimeout(() => {
        this.typingTimer = null;
        this.view.agentTyping = false;
        this.deps.onChange();
      }, this.deps.typingHoldMs ?? 4000);
    }
  }
}
