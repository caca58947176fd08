// The tracking beacon's token buckets: a minute's allowance as a burst, refilled
// at limit/60 per second, Retry-After in whole seconds, bounded key count.
import { describe, expect, it } from 'vitest';
import { createBeaconLimiter, TokenBuckets } from '../../server/src/runtime/tracking/beacon-limit.js';

describe('TokenBuckets', () => {
  it('lets a full minute of beacons through at once, then refuses with the wait for one more', () => {
    let now = 1_000_000;
    const b = new TokenBuckets(60, () => now);
    for (let i = 0; i < 60; i++) expect(b.take('v').allowed).toBe(true);
    expect(b.take('v')).toEqual({ allowed: false, retryAfterSec: 1 });
    now += 999;
    expect(b.take('v').allowed).toBe(false);
    now += 1;
    expect(b.take('v')).toEqual({ allowed: true, retryAfterSec: 0 });
    // Other keys have their own bucket.
    expect(b.take('w').allowed).toBe(true);
  });

  it('refills to capacity, never beyond', () => {
    let now = 0;
    const b = new TokenBuckets(6, () => now);
    for (let i = 0; i < 6; i++) b.take('k');
    now += 3600_000;
    let passed = 0;
    while (b.take('k').allowed) passed++;
    expect(passed).toBe(6);
  });

  it('a slow steady visitor is never refused', () => {
    let now = 0;
    const b = new TokenBuckets(120, () => now);
    for (let i = 0; i < 10_000; i++) {
      expect(b.take('steady').allowed).toBe(true);
      now += 500; // two beacons a second = the refill rate
    }
  });

  it('Retry-After grows with the deficit at low limits', () => {
    const b = new TokenBuckets(2, () => 0);
    b.take('k');
    b.take('k');
    expect(b.take('k')).toEqual({ allowed: false, retryAfterSec: 30 });
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const b = new TokenBuckets(1, () => 0, 3);
    b.take('a'); b.take('b'); b.take('c');
    expect(b.take('a').allowed).toBe(false); // a is now the most recent
    b.take('d'); // evicts b
    expect(b.size).toBe(3);
    expect(b.take('b').allowed).toBe(true); // a fresh bucket
    expect(b.take('a').allowed).toBe(false);
  });
});

describe('createBeaconLimiter', () => {
  it('separates IPs from visitors, and visitors of different companies', () => {
    const l = createBeaconLimiter({ perIpPerMinute: 2, perVisitorPerMinute: 1 }, () => 0);
    expect(l.ip('1.2.3.4').allowed).toBe(true);
    expect(l.ip('1.2.3.4').allowed).toBe(true);
    expect(l.ip('1.2.3.4').allowed).toBe(false);
    expect(l.ip('1.2.3.5').allowed).toBe(true);
    expect(l.visitor('c1', 'v1').allowed).toBe(true);
    expect(l.visitor('c1', 'v1').allowed).toBe(false);
    expect(l.visitor('c2', 'v1').allowed).toBe(true);
  });

  it('0 turns a limit off', () => {
    const l = createBeaconLimiter({ perIpPerMinute: 0, perVisitorPerMinute: 0 }, () => 0);
    for (let i = 0; i < 1000; i++) {
      expect(l.ip('1.1.1.1').allowed).toBe(true);
      expect(l.visitor('c', 'v').allowed).toBe(true);
    }
  });
});
