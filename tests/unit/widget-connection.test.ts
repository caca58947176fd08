// B5: the widget's socket reconnects with backoff, gives up on auth/ban close
// codes, and treats a silent link (no pong) as dead.
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/codes.js';
import { Connection, type ConnState, type SocketLike } from '../../widget/src/window/connection.js';
import { fakeTimers } from './widget-fake-timers.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(d: string) { this.sent.push(d); }
  close() { this.closed = true; this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.({}); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code }); }
  receive(frame: object) { this.onmessage?.({ data: JSON.stringify(frame) }); }
}

function setup() {
  const clock = fakeTimers();
  const sockets: FakeSocket[] = [];
  const states: [ConnState, number][] = [];
  const frames: string[] = [];
  let opens = 0;
  const c = new Connection({
    url: 'ws://x/ws/visitor?key=k&vid=v',
    factory: (u) => { const s = new FakeSocket(u); sockets.push(s); return s; },
    onOpen: () => { opens++; },
    onFrame: (f) => frames.push(f.type),
    onState: (s, n) => states.push([s, n]),
    timers: clock,
    rand: () => 0.999999,
    backoff: { baseMs: 1000, maxMs: 8000 },
    pingMs: 25_000,
    pongTimeoutMs: 10_000,
  });
  return { c, clock, sockets, states, frames, opens: () => opens };
}

describe('widget connection', () => {
  it('B5 reconnects after a drop with growing delays, and resets after a success', () => {
    const { c, clock, sockets, states, opens } = setup();
    c.start();
    expect(states[0]).toEqual(['connecting', 0]);
    sockets[0]!.drop();
    expect(sockets).toHaveLength(1);
    clock.advance(999);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    clock.advance(1999);
    expect(sockets).toHaveLength(2);
    clock.advance(1);
    expect(sockets).toHaveLength(3);
    sockets[2]!.open();
    expect(opens()).toBe(1);
    expect(states.at(-1)).toEqual(['open', 0]);
    sockets[2]!.drop();
    clock.advance(1000);
    expect(sockets).toHaveLength(4);
    expect(states.some(([s]) => s === 'reconnecting')).toBe(true);
  });

  it('B5 stops retrying when the server says unauthorized or blocked', () => {
    for (const code of [CloseCode.Unauthorized, CloseCode.Blocked]) {
      const { c, clock, sockets, states } = setup();
      c.start();
      sockets[0]!.open();
      sockets[0]!.drop(code);
      clock.advance(120_000);
      expect(sockets).toHaveLength(1);
      expect(states.at(-1)![0]).toBe('stopped');
    }
  });

  it('B5 pings while open and drops a link that stays silent past the deadline', () => {
    const { c, clock, sockets } = setup();
    c.start();
    sockets[0]!.open();
    clock.advance(25_000);
    expect(sockets[0]!.sent.map((s) => JSON.parse(s).type)).toEqual(['ping']);
    sockets[0]!.receive({ v: 1, type: 'pong' });
    clock.advance(25_000);
    expect(sockets[0]!.sent).toHaveLength(2);
    clock.advance(10_000); // no pong this time
    expect(sockets[0]!.closed).toBe(true);
    clock.advance(1000);
    expect(sockets).toHaveLength(2);
  });

  it('parses frames, ignores garbage, and refuses to send while closed', () => {
    const { c, sockets, frames } = setup();
    c.start();
    expect(c.send({ v: 1, type: 'ping' })).toBe(false);
    sockets[0]!.open();
    sockets[0]!.onmessage?.({ data: 'not json' });
    sockets[0]!.onmessage?.({ data: '42' });
    sockets[0]!.receive({ v: 1, type: 'widget.state', state: 'busy' });
    expect(frames).toEqual(['widget.state']);
    expect(c.send({ v: 1, type: 'ping' })).toBe(true);
  });

  it('stop closes the socket and never reconnects', () => {
    const { c, clock, sockets } = setup();
    c.start();
    sockets[0]!.open();
    c.stop();
    expect(sockets[0]!.closed).toBe(true);
    clock.advance(60_000);
    expect(sockets).toHaveLength(1);
  });
});
