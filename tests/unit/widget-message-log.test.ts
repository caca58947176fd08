// B5 / message ordering: the widget shows messages by seq, drops replays, and keeps
// unacked ones pending until the server commits them.
import { describe, expect, it } from 'vitest';
import { MessageLog } from '../../widget/src/window/message-log.js';

const msg = (seq: number, sender: 'visitor' | 'agent' | 'system' = 'agent', text = `m${seq}`, clientMsgId: string | null = null) => ({
  seq, sender, text, at: 1000 + seq, clientMsgId,
});

describe('widget message log', () => {
  it('B5 orders messages by seq whatever order they arrive in', () => {
    const log = new MessageLog();
    for (const s of [3, 1, 2]) log.addCreated(msg(s));
    expect(log.entries().map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('B5 drops a replayed duplicate by seq', () => {
    const log = new MessageLog();
    expect(log.addCreated(msg(1))).toBe(true);
    expect(log.addCreated(msg(1, 'agent', 'replayed'))).toBe(false);
    expect(log.entries()).toHaveLength(1);
    expect(log.entries()[0]!.text).toBe('m1');
  });

  it('B5 resumes from the highest contiguous seq, not past a gap', () => {
    const log = new MessageLog();
    log.addCreated(msg(1));
    log.addCreated(msg(2));
    log.addCreated(msg(4));
    expect(log.lastSeq).toBe(2);
    log.addCreated(msg(3));
    expect(log.lastSeq).toBe(4);
  });

  it('keeps a sent message pending after stored ones until its ack gives it a seq', () => {
    const log = new MessageLog();
    log.addCreated(msg(1));
    log.addPending('c1', 'hello', 5);
    expect(log.entries().map((e) => [e.key, e.pending])).toEqual([['s1', false], ['pc1', true]]);
    expect(log.unacked().map((e) => e.clientMsgId)).toEqual(['c1']);
    expect(log.ack('c1', 2, 6)).toBe(true);
    expect(log.unacked()).toEqual([]);
    expect(log.entries().map((e) => [e.seq, e.text, e.pending])).toEqual([[1, 'm1', false], [2, 'hello', false]]);
    expect(log.ack('c1', 2, 6)).toBe(false);
    expect(log.lastSeq).toBe(2);
  });

  it('an echoed message.created for our own clientMsgId replaces the pending bubble', () => {
    const log = new MessageLog();
    log.addPending('c9', 'hi', 1);
    log.addCreated(msg(1, 'visitor', 'hi', 'c9'));
    expect(log.unacked()).toEqual([]);
    expect(log.entries()).toHaveLength(1);
    // The late ack for it changes nothing.
    log.ack('c9', 1, 2);
    expect(log.entries()).toHaveLength(1);
  });

  it('an agent message with the same clientMsgId does not swallow a visitor pending one', () => {
    const log = new MessageLog();
    log.addPending('x', 'mine', 1);
    log.addCreated(msg(1, 'agent', 'theirs', 'x'));
    expect(log.unacked()).toHaveLength(1);
  });

  it('places local notes and refused messages after the seq they followed', () => {
    const log = new MessageLog();
    log.addCreated(msg(1));
    log.addNote('system', 'Ann joined', 2);
    log.addPending('c1', 'bad', 3);
    log.fail('c1');
    log.addCreated(msg(2));
    const e = log.entries();
    expect(e.map((x) => x.text)).toEqual(['m1', 'Ann joined', 'bad', 'm2']);
    expect(e[2]!.failed).toBe(true);
    expect(log.unacked()).toEqual([]);
  });

  it('resetStored forgets the old chat but keeps what is still unsent', () => {
    const log = new MessageLog();
    log.addCreated(msg(1));
    log.addPending('c1', 'again', 2);
    log.resetStored();
    expect(log.lastSeq).toBe(0);
    expect(log.entries().map((e) => e.key)).toEqual(['pc1']);
  });
});
