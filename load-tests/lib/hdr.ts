// Latency histograms in microseconds. Each worker records into its own
// histogram and ships it as compressed base64; the coordinator merges them, so
// percentiles are exact over all workers (no averaging of percentiles).
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** 1 µs … 120 s at 3 significant digits. */
export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
}

/** Records a latency given in nanoseconds (bigint-free: numbers from nowNs()). */
export function recordNs(h: Histogram, ns: number): void {
  h.recordValue(Math.max(1, Math.min(120_000_000, Math.round(ns / 1000))));
}

export const encode = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);

export function merge(encoded: string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) {
    const h = hdr.decodeFromCompressedBase64(e, 32, false);
    total.add(h);
    h.destroy();
  }
  return total;
}

export interface LatencySummary { count: number; p50: number; p99: number; p999: number; max: number; mean: number }

/** Milliseconds, rounded to 0.01. */
export function summarize(h: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}
