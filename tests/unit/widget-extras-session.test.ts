// The widget's chat extras without a browser: pre-chat form → chat.request in the
// question's group then the answers (J5), pushed survey and rating (E8), pushed
// info form (E7), files in and declined (E2), and the loader→window member message (L1).
import { describe, expect, it } from 'vitest';
import type { VisitorIn, VisitorOut } from '../../protocol/visitor-frames.js';
import { Session, type KV } from '../../widget/src/window/session.js';
import { parseHostToWindow } from '../../widget/src/shared/bridge.js';
import { fakeTimers } from './widget-fake-timers.js';

function setup() {
  const sent: VisitorIn[] = [];
  const map = new Map<string, string>();
  const store: KV = { get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), remove: (k) => void map.delete(k) };
  let n = 0;
  const s = new Session({
    send: (f) => { sent.push(f); return true; },
    hello: () => ({ v: 1, type: 'visitor.hello', lang: 'en', memberToken: 'tok.sig' }),
    newId: () => `c${++n}`, now: () => 1000, store, storeKey: 'conv', timers: fakeTimers(), onChange: () => {},
  });
  const frame = (f: VisitorOut) => s.handleFrame(f);
  s.handleOpen();
  frame({ v: 1, type: 'visitor.ready', visitorId: 'v1', widget: 'online', conversation: null });
  return { s, sent, frame };
}

const image = { key: 'k'.repeat(22), name: 'shot.png', size: 10, mime: 'image/png', kind: 'image' as const, thumbKey: 't'.repeat(22), width: 4, height: 3 };

describe('widget chat extras', () => {
  it('L1 hello carries the member token the loader passed', () => {
    const { sent } = setup();
    expect(sent[0]).toMatchObject({ type: 'visitor.hello', memberToken: 'tok.sig' });
    expect(parseHostToWindow({ sb: 1, type: 'member', token: 'a.b' })).toEqual({ sb: 1, type: 'member', token: 'a.b' });
    expect(parseHostToWindow({ sb: 1, type: 'member', token: 42 })).toBeNull();
    expect(parseHostToWindow({ sb: 1, type: 'member', token: 'x'.repeat(5000) })).toBeNull();
  });

  it('J5 the pre-chat form requests the chat in the question\'s group, then sends the answers', () => {
    const { s, sent, frame } = setup();
    s.requestChat('sales', { question: 'buy', name: 'Li' });
    expect(sent.at(-1)).toEqual({ v: 1, type: 'chat.request', groupId: 'sales' });
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    expect(sent.at(-1)).toEqual({ v: 1, type: 'form.submit', conversationId: 'k1', fields: { question: 'buy', name: 'Li' } });
    frame({ v: 1, type: 'queue.position', conversationId: 'k1', position: 1, ahead: 0 });
    expect(sent.filter((f) => f.type === 'form.submit')).toHaveLength(1);
  });

  it('E8 a pushed survey opens; the saved rating closes it; the ended chat can still be rated', () => {
    const { s, sent, frame } = setup();
    s.requestChat(null, {});
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    frame({ v: 1, type: 'rating.requested', conversationId: 'other' });
    expect(s.view.ratingAsked).toBe(false);
    frame({ v: 1, type: 'rating.requested', conversationId: 'k1' });
    expect(s.view.ratingAsked).toBe(true);
    s.rate(5, 'great');
    expect(sent.at(-1)).toEqual({ v: 1, type: 'rating.submit', conversationId: 'k1', score: 5, comment: 'great' });
    frame({ v: 1, type: 'rating.saved', conversationId: 'k1', score: 5, comment: 'great' });
    expect(s.view).toMatchObject({ ratingAsked: false, rated: 5 });
    frame({ v: 1, type: 'chat.ended', conversationId: 'k1', by: 'agent' });
    expect(s.rate(3, '')).toBe(true);
    expect(sent.at(-1)).toEqual({ v: 1, type: 'rating.submit', conversationId: 'k1', score: 3 });
  });

  it('E7 a pushed info form shows its fields until saved', () => {
    const { s, sent, frame } = setup();
    s.requestChat(null, {});
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    frame({ v: 1, type: 'form.requested', conversationId: 'k1', fields: [{ id: 'name', label: 'Name', required: true }] });
    expect(s.view.form).toEqual([{ id: 'name', label: 'Name', required: true }]);
    s.submitForm({ name: '<b>Li</b>' });
    expect(sent.at(-1)).toEqual({ v: 1, type: 'form.submit', conversationId: 'k1', fields: { name: '<b>Li</b>' } });
    frame({ v: 1, type: 'form.saved', conversationId: 'k1' });
    expect(s.view).toMatchObject({ form: null, formSaved: true });
  });

  it('E2 files go out only in an open chat; an incoming file keeps its attachment; a decline marks it', () => {
    const { s, sent, frame } = setup();
    expect(s.sendFile(image.key)).toBe(false);
    s.requestChat(null, {});
    frame({ v: 1, type: 'chat.queued', conversationId: 'k1', position: 1, ahead: 0 });
    expect(s.sendFile(image.key)).toBe(true);
    expect(sent.at(-1)).toMatchObject({ type: 'file.send', conversationId: 'k1', fileKey: image.key });
    frame({ v: 1, type: 'message.created', message: { conversationId: 'k1', seq: 1, sender: 'visitor', senderId: 'v1', text: 'shot.png', clientMsgId: 'c1', at: 5, attachment: image } });
    const before = s.log.entries()[0]!;
    expect(before.attachment).toMatchObject({ key: image.key, kind: 'image' });
    const keyBefore = before.key;
    frame({ v: 1, type: 'file.declined', conversationId: 'k1', fileKey: image.key });
    const after = s.log.entries()[0]!;
    expect(after.attachment!.declined).toBe(true);
    expect(after.key).not.toBe(keyBefore);
  });
});
