// The widget's chat logic without a browser: D1 queue → assigned, B5 resume and
// resend with the same clientMsgId, E4 draft streaming, end of chat.
import { describe, expect, it } from 'vitest';
import type { VisitorIn, VisitorOut } from '../../protocol/visitor-frames.js';
import { Session, type KV } from '../../widget/src/window/session.js';
import { fakeTimers } from './widget-fake-timers.js';

function setup(opts: { online?: boolean; store?: Map<string, string> } = {}) {
  const sent: VisitorIn[] = [];
  let online = opts.online ?? true;
  const map = opts.store ?? new Map<string, string>();
  const store: KV = { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
  const clock = fakeTimers();
  let n = 0;
  const agentMessages: string[] = [];
  let changes = 0;
  const s = new Session({
    send: (f) => { if (!online) return false; sent.push(f); return true; },
    hello: () => ({ v: 1, type: 'visitor.hello', lang: 'en', page: { url: 'https://shop.example/p' } }),
    newId: () => `c${++n}`,
    now: () => 1000,
    store, storeKey: 'conv', groupId: 'g1', timers: clock,
    onChange: () => { changes++; },
    onAgentMessage: (m) => agentMessages.push(m.text),
  });
  const frame = (f: VisitorOut) => s.handleFrame(f);
  return { s, sent, frame, clock, map, agentMessages, setOnline: (v: boolean) => { online = v; }, changes: () => changes };
}

const ready = (conversation: null | { id: string; state: string; lastSeq: number } = null): VisitorOut =>
  ({ v: 1, type: 'visitor.ready', visitorId: 'v1', widget: 'online', conversation });
const agentMsg = (seq: number, text: string): VisitorOut =>
  ({ v: 1, type: 'message.created', message: { conversationId: 'k1', seq, sender: 'agent', senderId: 'a1', senderName: 'Ann', text, clientMsgId: null, at: seq } });

describe('widget session', () => {
  it('D1 the first message requests a chat; queue position, then assignment', () => {
    const { s, sent, frame, map } = setup();
    s.handleOpen();
    expect(sent[0]).toMatchObject({ type: 'visitor.hello', lang: 'en' });
    expect(sent[0]).not.toHaveProperty('resume');
    frame(ready());
    s.sendText('  where is my order?  ');
    expect(sent[1]).toEqual({ v: 1, type: 'chat.request', ref: 'c1', clientMsgId: 'c1', text: 'where is my order?', groupId: 'g1' });
    expect(s.log.entries()[0]).toMatchObject({ pending: true, text: 'where is my order?' });

    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 3, ahead: 2 });
    expect(s.view).toMatchObject({ phase: 'queued', position: 3, conversationId: 'k1' });
    expect(map.get('conv')).toBe('k1');
    frame({ v: 1, type: 'message.ack', conversationId: 'k1', clientMsgId: 'c1', seq: 1, at: 5 });
    expect(s.log.unacked()).toEqual([]);
    frame({ v: 1, type: 'queue.position', conversationId: 'k1', position: 1, ahead: 0 });
    expect(s.view.position).toBe(1);
    frame({ v: 1, type: 'chat.assigned', conversationId: 'k1', agent: { id: 'a1', name: 'Ann' } });
    expect(s.view).toMatchObject({ phase: 'active', position: null, agent: { name: 'Ann' } });

    s.sendText('thanks');
    expect(sent.at(-1)).toEqual({ v: 1, type: 'message.send', ref: 'c2', conversationId: 'k1', clientMsgId: 'c2', text: 'thanks' });
    expect(sent.filter((f) => f.type === 'chat.request')).toHaveLength(1);
  });

  it('B5 after a reconnect: hello resumes from lastSeq, unacked messages go again with the same clientMsgId, replays are dropped', () => {
    const { s, sent, frame, setOnline, agentMessages } = setup();
    s.handleOpen();
    frame(ready());
    s.sendText('first');
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    frame({ v: 1, type: 'message.ack', conversationId: 'k1', clientMsgId: 'c1', seq: 1, at: 1 });
    frame(agentMsg(2, 'hello'));
    s.sendText('lost in flight'); // sent, but the socket dies before the ack
    setOnline(false);
    s.sendText('typed while offline'); // cannot be sent now
    expect(s.log.unacked().map((e) => e.clientMsgId)).toEqual(['c2', 'c3']);

    setOnline(true);
    sent.length = 0;
    s.handleOpen();
    expect(sent[0]).toMatchObject({ type: 'visitor.hello', resume: { conversationId: 'k1', lastSeq: 2 } });
    frame(ready({ id: 'k1', state: 'active', lastSeq: 2 }));
    expect(sent.slice(1).map((f) => f.type === 'message.send' && f.clientMsgId)).toEqual(['c2', 'c3']);
    expect(sent.filter((f) => f.type === 'visitor.hello')).toHaveLength(1);

    // The server replays seq 2 and commits both messages once.
    frame(agentMsg(2, 'hello'));
    frame({ v: 1, type: 'message.ack', conversationId: 'k1', clientMsgId: 'c2', seq: 3, at: 3 });
    frame({ v: 1, type: 'message.ack', conversationId: 'k1', clientMsgId: 'c3', seq: 4, at: 4 });
    expect(s.log.entries().map((e) => `${e.seq}:${e.text}`)).toEqual(['1:first', '2:hello', '3:lost in flight', '4:typed while offline']);
    expect(agentMessages).toEqual(['hello']);
  });

  it('B5 a new page load resumes the chat it stored, from seq 0', () => {
    const store = new Map([['conv', 'k7']]);
    const { s, sent } = setup({ store });
    s.handleOpen();
    expect(sent[0]).toMatchObject({ resume: { conversationId: 'k7', lastSeq: 0 } });
  });

  it('B5 history replayed into a fresh window is not news; messages missed while disconnected are', () => {
    const store = new Map([['conv', 'k1']]);
    const { s, frame, agentMessages } = setup({ store });
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 2 }));
    frame(agentMsg(1, 'old one'));
    frame(agentMsg(2, 'old two'));
    expect(agentMessages).toEqual([]);
    expect(s.log.size).toBe(2);
    s.handleOpen(); // a reconnect later in the same page
    frame(ready({ id: 'k1', state: 'active', lastSeq: 3 }));
    frame(agentMsg(3, 'sent while we were away'));
    expect(agentMessages).toEqual(['sent while we were away']);
  });

  it('B5 a live chat the window did not know about is resumed with a second hello', () => {
    const { s, sent, frame } = setup();
    s.handleOpen();
    frame(ready({ id: 'k9', state: 'queued', lastSeq: 4 }));
    expect(s.view).toMatchObject({ phase: 'queued', conversationId: 'k9' });
    expect(sent[1]).toMatchObject({ type: 'visitor.hello', resume: { conversationId: 'k9', lastSeq: 0 } });
  });

  it('D8 a chat that ended while away is shown as over and forgotten', () => {
    const store = new Map([['conv', 'k7']]);
    const { s, frame, map } = setup({ store });
    s.handleOpen();
    frame(ready(null));
    expect(s.view).toMatchObject({ phase: 'idle', conversationId: null });
    expect(map.has('conv')).toBe(false);
  });

  it('D8 ending: chat.end is sent, chat.ended closes the chat, a new message starts a new one', () => {
    const { s, sent, frame, map } = setup();
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 0 }));
    frame(agentMsg(1, 'hi'));
    s.endChat();
    expect(sent.at(-1)).toEqual({ v: 1, type: 'chat.end', conversationId: 'k1' });
    frame({ v: 1, type: 'chat.ended', conversationId: 'k1', by: 'visitor' });
    expect(s.view).toMatchObject({ phase: 'ended', endedBy: 'visitor' });
    expect(map.has('conv')).toBe(false);
    s.sendText('one more thing');
    expect(s.log.entries().map((e) => e.text)).toEqual(['one more thing']);
    expect(sent.at(-1)).toMatchObject({ type: 'chat.request', text: 'one more thing' });
  });

  it('E4 the draft streams as throttled typing frames, only inside a chat', () => {
    const { s, sent, frame, clock } = setup();
    s.handleOpen();
    frame(ready());
    s.setDraft('no chat yet');
    expect(sent.filter((f) => f.type === 'typing')).toHaveLength(0);
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    s.setDraft('w');
    s.setDraft('wh');
    s.setDraft('whe');
    clock.advance(300);
    expect(sent.filter((f) => f.type === 'typing').map((f) => f.type === 'typing' && f.draft)).toEqual(['w', 'whe']);
  });

  it('E4 the agent typing indicator shows, then clears by itself or when the agent speaks', () => {
    const { s, frame, clock } = setup();
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 0 }));
    frame({ v: 1, type: 'typing', conversationId: 'k1', who: 'agent' });
    expect(s.view.agentTyping).toBe(true);
    clock.advance(4000);
    expect(s.view.agentTyping).toBe(false);
    frame({ v: 1, type: 'typing', conversationId: 'k1', who: 'agent' });
    frame(agentMsg(1, 'done'));
    expect(s.view.agentTyping).toBe(false);
  });

  it('a refused message is marked failed and never resent; a rate limit keeps it pending', () => {
    const { s, sent, frame } = setup();
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 0 }));
    s.sendText('x');
    s.sendText('y');
    frame({ v: 1, type: 'error', code: 'bad_frame', message: 'no', ref: 'c1' });
    frame({ v: 1, type: 'error', code: 'rate_limited', message: 'slow', ref: 'c2' });
    expect(s.log.entries().map((e) => [e.text, !!e.failed, e.pending])).toEqual([['x', true, false], ['y', false, true]]);
    sent.length = 0;
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 0 }));
    expect(sent.filter((f) => f.type === 'message.send').map((f) => f.type === 'message.send' && f.text)).toEqual(['y']);
  });

  it('messages of another conversation are ignored', () => {
    const { s, frame } = setup();
    s.handleOpen();
    frame(ready({ id: 'k1', state: 'active', lastSeq: 0 }));
    frame({ v: 1, type: 'message.created', message: { conversationId: 'other', seq: 1, sender: 'agent', senderId: 'a', text: 'x', clientMsgId: null, at: 1 } });
    expect(s.log.size).toBe(0);
  });
});

describe('widget session after a reload into an ended chat', () => {
  it('D8 the replay of the ended chat is not shown and does not shadow the next chat', () => {
    const store = new Map([['conv', 'k1']]);
    const { s, frame } = setup({ store });
    s.handleOpen();
    frame({ v: 1, type: 'visitor.ready', visitorId: 'v1', widget: 'online', conversation: { id: 'k1', state: 'ended', lastSeq: 2 } });
    frame(agentMsg(1, 'old'));
    expect(s.view.phase).toBe('idle');
    expect(s.log.size).toBe(0);
    s.sendText('new question');
    frame({ v: 1, type: 'chat.queued', conversationId: 'k2', position: 1, ahead: 0 });
    frame({ v: 1, type: 'message.ack', conversationId: 'k2', clientMsgId: 'c1', seq: 1, at: 9 });
    expect(s.log.entries().map((e) => `${e.seq}:${e.text}`)).toEqual(['1:new question']);
  });
});
