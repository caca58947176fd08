// Scenario a's pattern against the raw uWS echo (/ws/echo, same server process):
// one socket per "conversation", the echo is the delivery. No routing, no
// database: the ceiling for what the process can move.
import { JsonSocket, loopbackSource, mapLimit } from '../lib/ws-client.js';
import type { PhaseStats } from './message-stats.js';
import type { MessageTransport } from './messages-part.js';

export class EchoTransport implements MessageTransport {
  readonly twoSided = false;
  readonly acks = false;
  private stats: PhaseStats | null = null;
  private sockets: JsonSocket[] = [];

  constructor(private readonly input: { url: string; conversations: number }) {}

  get conversations(): number { return this.input.conversations; }

  attach(stats: PhaseStats | null): void { this.stats = stats; }

  async setup(): Promise<void> {
    const url = `${this.input.url.replace(/^http/, 'ws')}/ws/echo`;
    this.sockets = await mapLimit(Array.from({ length: this.input.conversations }, (_, i) => i), 50, async (i) => {
      const s = await JsonSocket.open(url, { localAddress: loopbackSource(i) });
      // Raw text frames: bypass JSON parsing so the client costs the same per frame as routed.
      s.ws.removeAllListeners('message');
      s.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { id: string };
        this.stats?.onDelivered(f.id, `e${i}`);
      });
      return s;
    });
  }

  send(c: number, _side: 0 | 1, id: string, text: string): void {
    // Same shape and size as a routed message.send frame.
    this.sockets[c]!.send({ type: 'message.send', id, text });
  }

  async close(): Promise<void> {
    await mapLimit(this.sockets, 50, (s) => s.close());
  }
}
