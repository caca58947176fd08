// TOTP dynamic passwords (A2, RFC 6238: SHA-1, 6 digits, 30 s). otpauth checks the
// code; refusing a code that was already used is ours: we remember, per agent,
// the last time step that logged in and accept only later steps.
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(opts: { secret: string; issuer: string; label: string }): string {
  return new TOTP({ issuer: opts.issuer, label: opts.label, secret: Secret.fromBase32(opts.secret), period: PERIOD }).toString();
}

/** The time step a code matches (window 1 = previous, current or next), or null. */
export function matchTotpStep(secret: string, token: string, nowMs: number): number | null {
  if (!/^\d{6}$/.test(token)) return null;
  let totp: TOTP;
  try {
    totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD });
  } catch {
    return null;
  }
  const delta = totp.validate({ token, timestamp: nowMs, window: 1 });
  if (delta === null) return null;
  return totp.counter({ timestamp: nowMs }) + delta;
}

/**
 * Remembers used steps per agent. A step is only worth remembering for the
 * ~90 s it can still validate, so entries older than that are dropped.
 * Single-node memory; a cluster would keep this in Redis (SET NX with TTL).
 */
export class TotpReplayGuard {
  private readonly lastStep = new Map<string, { step: number; at: number }>();
  constructor(private readonly maxKeys = 100_000) {}

  /** Verifies the code and consumes its step; false for wrong or reused codes. */
  verify(key: string, secret: string, token: string, nowMs: number): boolean {
    const step = matchTotpStep(secret, token, nowMs);
    if (step === null) return false;
    const last = this.lastStep.get(key);
    if (last && step <= last.step) return false;
    this.lastStep.delete(key);
    this.lastStep.set(key, { step, at: nowMs });
    this.prune(nowMs);
    return true;
  }

  private prune(nowMs: number): void {
    const stale = nowMs - 3 * PERIOD * 1000;
    for (const [k, v] of this.lastStep) {
      if (v.at >= stale && this.lastStep.size <= this.maxKeys) break;
      this.lastStep.delete(k);
    }
  }
}
