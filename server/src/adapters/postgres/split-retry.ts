// Writes a batch with one statement; when the statement fails as a whole (lost
// connection, a constraint no one foresaw), splits the batch in halves and writes
// them in order, so a bad item is isolated in O(log n) statements and the others
// still commit in arrival order. Shared by the group committers.

export interface SplitRetry<T extends { reject(e: unknown): void }> {
  /** Writes the batch in one statement and settles every item of it; throws when the statement fails. */
  write(batch: T[]): Promise<void>;
  /** Called once per top-level batch that failed whole, before it is split. */
  onSplit(err: unknown, size: number): void;
}

export async function writeSplitting<T extends { reject(e: unknown): void }>(batch: T[], how: SplitRetry<T>, depth = 0): Promise<void> {
  try {
    await how.write(batch);
  } catch (err) {
    if (batch.length === 1) {
      batch[0]!.reject(err);
      return;
    }
    if (depth === 0) how.onSplit(err, batch.length);
    const mid = Math.ceil(batch.length / 2);
    await writeSplitting(batch.slice(0, mid), how, depth + 1);
    await writeSplitting(batch.slice(mid), how, depth + 1);
  }
}
