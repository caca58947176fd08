// B5 reconnect backoff and E4 draft throttling, driven by a fake clock.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../widget/src/window/backoff.js';
import { throttle } from '../../widget/src/window/throttle.js';
import { fakeTimers } from './widget-fake-timers.js';

describe('widget reconnect backoff', () => {
  it('B5 doubles per attempt between half and the whole of the step', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelay(0, opts, () => 0)).toBe(250);
    expect(backoffDelay(0, opts, () => 0.999999)).toBe(500);
    expect(backoffDelay(1, opts, () => 0)).toBe(500);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(3000);
  });

  it('B5 never waits longer than the cap, even after many failures', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    for (const a of [10, 50, 1000]) {
      const d = backoffDelay(a, opts, () => 0.999999);
      expect(d).toBeLessThanOrEqual(30_000);
      expect(d).toBeGreaterThanOrEqual(15_000);
    }
  });
});

describe('widget draft throttling', () => {
  it('E4 sends the first draft at once, folds a burst, and always delivers the last one', () => {
    const clock = fakeTimers();
    const sent: string[] = [];
    const t = throttle((s: string) => sent.push(s), 300, clock);
    t('h');
    expect(sent).toEqual(['h']);
    clock.advance(50); t('he');
    clock.advance(50); t('hel');
    clock.advance(50); t('hell');
    expect(sent).toEqual(['h']);
    clock.advance(150);
    expect(sent).toEqual(['h', 'hell']);
    clock.advance(1000);
    expect(sent).toEqual(['h', 'hell']);
    t('hello');
    expect(sent).toEqual(['h', 'hell', 'hello']);
  });

  it('E4 sends at most one draft per interval while typing steadily', () => {
    const clock = fakeTimers();
    const at: number[] = [];
    const t = throttle(() => at.push(clock.now()), 300, clock);
    for (let i = 0; i < 100; i++) { t(String(i)); clock.advance(20); }
    clock.advance(1000);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(300);
    expect(at.length).toBeGreaterThanOrEqual(6);
  });

  it('cancel drops the trailing draft (the message was just sent)', () => {
    const clock = fakeTimers();
    const sent: string[] = [];
    const t = throttle((s: string) => sent.push(s), 300, clock);
    t('a');
    t('ab');
    t.cancel();
    clock.advance(1000);
    expect(sent).toEqual(['a']);
  });
});
