// Scenario a's pattern against the Socket.IO + Postgres relay baseline
// (baselines/socketio-relay.ts): two clients per conversation in one room.
import { io, type Socket } from 'socket.io-client';
import { mapLimit } from '../lib/ws-client.js';
import type { PhaseStats } from './message-stats.js';
import type { MessageTransport } from './messages-part.js';

export class SocketIoTransport implements MessageTransport {
  readonly twoSided = true;
  readonly acks = true;
  private stats: PhaseStats | null = null;
  private pairs: Array<[Socket, Socket]> = [];

  constructor(private readonly input: { url: string; conversations: number; tag: string }) {}

  get conversations(): number { return this.input.conversations; }

  attach(stats: PhaseStats | null): void { this.stats = stats; }

  async setup(): Promise<void> {
    const connect = async (room: string, side: number, c: number): Promise<Socket> => {
      const s = io(this.input.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 10_000 });
      await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); });
      s.on('msg', (m: { id: string }) => this.stats?.onDelivered(m.id, `${side}${c}`));
      await new Promise<void>((resolve) => s.emit('join', room, () => resolve()));
      return s;
    };
    this.pairs = await mapLimit(Array.from({ length: this.input.conversations }, (_, i) => i), 20, async (c) => {
      const room = `${this.input.tag}-${c}`;
      return [await connect(room, 1, c), await connect(room, 0, c)] as [Socket, Socket];
    });
  }

  send(c: number, side: 0 | 1, id: string, text: string): void {
    const s = this.pairs[c]![side];
    s.emit('msg', { c: `${this.input.tag}-${c}`, id, text }, (r: { error?: string }) => {
      if (r?.error) this.stats?.onError(r.error); else this.stats?.onAcked(id);
    });
  }

  async close(): Promise<void> {
    for (const [a, b] of this.pairs) { a.disconnect(); b.disconnect(); }
  }
}
