// Scenario a over Switchboard's own sockets: one visitor socket per conversation,
// agents with a few conversations each, all in one company per load part (so an
// auto-assigning router can only pick agents this part drives). Setup: visitor
// requests a chat; either the router assigns it (chat.assigned arrives by
// itself) or the designated agent accepts it from queue.snapshot.
import { JsonSocket, loopbackSource, mapLimit, type Frame } from '../lib/ws-client.js';
import { until } from '../lib/clock.js';
import type { LoadAgent } from '../lib/fixtures.js';
import { PhaseStats, SeqTracker } from './message-stats.js';
import type { MessageTransport } from './messages-part.js';

export interface RoutedInput {
  url: string;
  publicKey: string;
  agents: LoadAgent[];
  conversations: number;
  /** unique per run and part: visitor ids are `<tag>-<i>` */
  tag: string;
  setupConcurrency?: number;
}

interface Conv { id: string; visitor: JsonSocket; agent: JsonSocket | null; agentId: string | null }

export class RoutedTransport implements MessageTransport {
  readonly twoSided = true;
  readonly acks = true;
  readonly conversations: number;
  private stats: PhaseStats | null = null;
  private readonly seqs = new SeqTracker();
  private readonly convs: Conv[] = [];
  private readonly convIndex = new Map<string, number>();
  private readonly agentSockets = new Map<string, JsonSocket>();
  private readonly visitorIndex = new Map<string, number>();
  private readonly acceptSent = new Set<string>();
  /** conversations assigned without our accept: the router assigns by itself */
  autoAssigned = 0;
  setupErrors: string[] = [];

  constructor(private readonly input: RoutedInput) {
    this.conversations = input.conversations;
  }

  attach(stats: PhaseStats | null): void { this.stats = stats; }

  async setup(): Promise<void> {
    const { url, agents } = this.input;
    const wsBase = url.replace(/^http/, 'ws');
    await mapLimit(agents, 20, async (a, ai) => {
      const s = await JsonSocket.open(`${wsBase}/ws/agent`, { headers: { cookie: a.cookie, origin: url } });
      s.onFrame = (f) => this.onAgentFrame(a.id, ai, s, f);
      const ready = s.waitFor((f) => f.type === 'agent.ready', 30_000, 'agent.ready');
      s.send({ type: 'agent.hello' });
      await ready;
      this.agentSockets.set(a.id, s);
    });
    const idx = Array.from({ length: this.conversations }, (_, i) => i);
    // A small ramp keeps the waiting list short: every queue change is broadcast.
    await mapLimit(idx, this.input.setupConcurrency ?? 10, async (i) => {
      const vid = `${this.input.tag}-${i}`;
      this.visitorIndex.set(vid, i);
      const s = await JsonSocket.open(`${wsBase}/ws/visitor?key=${this.input.publicKey}&vid=${vid}`, { localAddress: loopbackSource(i) });
      const conv: Conv = { id: '', visitor: s, agent: null, agentId: null };
      this.convs[i] = conv;
      s.onFrame = (f) => this.onVisitorFrame(i, f);
      const ready = s.waitFor((f) => f.type === 'visitor.ready', 30_000, 'visitor.ready');
      s.send({ type: 'visitor.hello', name: `Load ${i}` });
      await ready;
      const assigned = s.waitFor((f) => f.type === 'chat.assigned', 30_000, `chat.assigned for ${vid}`);
      // An agent may accept before the request's answer: then no chat.queued comes.
      const queued = s.waitFor((f) => f.type === 'chat.queued' || f.type === 'chat.assigned', 10_000, 'chat.queued');
      s.send({ type: 'chat.request', text: 'hello', clientMsgId: 'request' });
      conv.id = (await queued).conversationId as string;
      this.convIndex.set(conv.id, i);
      const a = await assigned;
      conv.agentId = a.agent.id as string;
      conv.agent = this.agentSockets.get(conv.agentId) ?? null;
      if (!this.acceptSent.has(conv.id)) this.autoAssigned++;
      if (!conv.agent) throw new Error(`conversation ${conv.id} went to ${conv.agentId}, an agent this part does not drive`);
    });
    // Let the setup's own frames (acks of the request messages) settle.
    await until(() => false, 200);
  }

  send(c: number, side: 0 | 1, id: string, text: string): void {
    const conv = this.convs[c]!;
    const s = side === 0 ? conv.visitor : conv.agent!;
    s.send({ type: 'message.send', conversationId: conv.id, clientMsgId: id, text });
  }

  private onVisitorFrame(i: number, f: Frame): void {
    const st = this.stats;
    switch (f.type) {
      case 'message.created': {
        const m = f.message;
        if (!this.seqs.see(`v:${m.conversationId}`, m.seq, st)) return;
        if (st && m.sender === 'agent') st.onDelivered(m.clientMsgId, `v${i}`);
        return;
      }
      case 'message.ack': st?.onAcked(f.clientMsgId); return;
      case 'error': if (st) st.onError(`${f.code}: ${f.message}`); else this.setupErrors.push(`${f.code}: ${f.message}`); return;
    }
  }

  private onAgentFrame(agentId: string, ai: number, s: JsonSocket, f: Frame): void {
    const st = this.stats;
    switch (f.type) {
      case 'message.created': {
        const m = f.message;
        if (!this.seqs.see(`a:${m.conversationId}`, m.seq, st)) return;
        const i = this.convIndex.get(m.conversationId);
        if (st && m.sender === 'visitor' && i !== undefined) st.onDelivered(m.clientMsgId, `a${i}`);
        return;
      }
      case 'message.ack': st?.onAcked(f.clientMsgId); return;
      case 'queue.snapshot':
        // Manual routing: visitor i is the business of agent i mod agents.
        for (const c of f.queue as Array<{ id: string; visitorId: string; state: string }>) {
          const vi = this.visitorIndex.get(c.visitorId);
          if (vi === undefined || vi % this.input.agents.length !== ai || this.acceptSent.has(c.id)) continue;
          this.acceptSent.add(c.id);
          s.send({ type: 'conversation.accept', conversationId: c.id });
        }
        return;
      case 'error':
        if (f.code === 'already_taken') return; // the router was quicker than our accept
        if (st) st.onError(`${agentId} ${f.code}: ${f.message}`); else this.setupErrors.push(`${f.code}: ${f.message}`);
        return;
    }
  }

  async close(): Promise<void> {
    await mapLimit(this.convs.filter(Boolean), 50, (c) => c.visitor.close());
    await mapLimit([...this.agentSockets.values()], 50, (s) => s.close());
  }
}
