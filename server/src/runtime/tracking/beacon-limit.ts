// Rate limit for the widget's tracking beacon (POST /api/v1/widget/track): one
// token bucket per client IP and one per company + visitor id. A bucket holds a
// minute's allowance, so a visitor may spend it in a burst (a fast SPA, a page
// opened in many tabs) and gets it back at limit/60 per second. Fixed memory per
// key (two numbers), unlike a sliding-window log: per-IP limits in the thousands
// stay cheap. The least recently used keys are dropped beyond `maxKeys`.

export interface BeaconLimits {
  /** beacons per minute from one IP (NATs and carrier-grade NAT share one); 0 = no limit */
  perIpPerMinute: number;
  /** beacons per minute from one visitor of one company; 0 = no limit */
  perVisitorPerMinute: number;
}

export const DEFAULT_BEACON_LIMITS: BeaconLimits = { perIpPerMinute: 1200, perVisitorPerMinute: 120 };

export interface BucketDecision {
  allowed: boolean;
  /** whole seconds until one more beacon would pass; 0 when allowed */
  retryAfterSec: number;
}

interface Bucket { tokens: number; at: number }

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    this.perMs = capacity / 60_000;
  }

  /** Takes one token for `key` when there is one. */
  take(key: string): BucketDecision {
    const t = this.now();
    const b = this.buckets.get(key);
    let tokens = this.capacity;
    if (b) {
      tokens = Math.min(this.capacity, b.tokens + Math.max(0, t - b.at) * this.perMs);
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
    } else if (this.buckets.size >= this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.buckets.set(key, { tokens, at: t });
    return { allowed, retryAfterSec: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}

export interface BeaconLimiter {
  /** Called before the body is read: the IP's bucket. */
  ip(ip: string): BucketDecision;
  /** Called once the visitor id is known. */
  visitor(companyId: string, visitorId: string): BucketDecision;
}

const PASS: BucketDecision = { allowed: true, retryAfterSec: 0 };

export function createBeaconLimiter(limits: BeaconLimits, now: () => number = Date.now): BeaconLimiter {
  const ips = limits.perIpPerMinute > 0 ? new TokenBuckets(limits.perIpPerMinute, now) : null;
  const visitors = limits.perVisitorPerMinute > 0 ? new TokenBuckets(limits.perVisitorPerMinute, now) : null;
  return {
    ip: (ip) => (ips ? ips.take(ip) : PASS),
    visitor: (companyId, visitorId) => (visitors ? visitors.take(`${companyId}\u0000${visitorId}`) : PASS),
  };
}
