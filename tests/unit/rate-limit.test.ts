import { describe, expect, it } from 'vitest';
import { combineDecisions, createMemoryLimiter } from '../../server/src/domain/rate-limit.js';
import { FakeClock } from './auth-helpers.js';

describe('sliding-window rate limiter', () => {
  it('allows up to the limit within the window, then reports when the oldest event leaves it', async () => {
    const clock = new FakeClock(0);
    const rl = createMemoryLimiter({ limit: 3, windowMs: 60_000, now: clock.now });
    expect(await rl.check('k')).toEqual({ allowed: true, retryAfterSec: 0 });
    await rl.hit('k');
    clock.advance(10_000);
    await rl.hit('k');
    expect((await rl.hit('k')).allowed).toBe(false);
    expect(await rl.check('k')).toEqual({ allowed: false, retryAfterSec: 50 });
    clock.advance(49_999);
    expect((await rl.check('k')).allowed).toBe(false);
    clock.advance(1);
    // the first event has left the window; the other two still count
    expect(await rl.check('k')).toEqual({ allowed: true, retryAfterSec: 0 });
    await rl.hit('k');
    expect(await rl.check('k')).toEqual({ allowed: false, retryAfterSec: 10 });
  });

  it('consume records only while allowed, and release takes back the latest event', async () => {
    const clock = new FakeClock(0);
    const rl = createMemoryLimiter({ limit: 2, windowMs: 60_000, now: clock.now });
    expect(await rl.consume('k')).toEqual({ allowed: true, retryAfterSec: 0 });
    clock.advance(1000);
    expect((await rl.consume('k')).allowed).toBe(true);
    expect(await rl.consume('k')).toEqual({ allowed: false, retryAfterSec: 59 });
    // denied consumes did not extend the window
    clock.advance(59_000);
    expect((await rl.consume('k')).allowed).toBe(true);
    await rl.release('k');
    expect((await rl.check('k')).allowed).toBe(true);
    await rl.release('k');
    await rl.release('k');
    await rl.release('nothing');
    expect((await rl.consume('k')).allowed).toBe(true);
    expect((await rl.consume('k')).allowed).toBe(true);
  });

  it('keeps keys apart and forgets a key on reset', async () => {
    const rl = createMemoryLimiter({ limit: 1, windowMs: 1000, now: () => 0 });
    await rl.hit('a');
    expect((await rl.check('a')).allowed).toBe(false);
    expect((await rl.check('b')).allowed).toBe(true);
    await rl.reset('a');
    expect((await rl.check('a')).allowed).toBe(true);
  });

  it('evicts the least recently touched key beyond maxKeys', async () => {
    const rl = createMemoryLimiter({ limit: 1, windowMs: 1000, now: () => 0, maxKeys: 2 });
    await rl.hit('a');
    await rl.hit('b');
    await rl.hit('a'); // touches a, so b is now the oldest
    await rl.hit('c');
    expect((await rl.check('a')).allowed).toBe(false);
    expect((await rl.check('b')).allowed).toBe(true);
    expect((await rl.check('c')).allowed).toBe(false);
  });

  it('combines decisions: denied if any is, waiting the longest', () => {
    expect(combineDecisions({ allowed: true, retryAfterSec: 0 }, { allowed: true, retryAfterSec: 0 })).toEqual({ allowed: true, retryAfterSec: 0 });
    expect(combineDecisions({ allowed: false, retryAfterSec: 5 }, { allowed: true, retryAfterSec: 0 }, { allowed: false, retryAfterSec: 9 }))
      .toEqual({ allowed: false, retryAfterSec: 9 });
  });

  it('rejects nonsense policies', () => {
    expect(() => createMemoryLimiter({ limit: 0, windowMs: 1000 })).toThrow(RangeError);
  });
});
