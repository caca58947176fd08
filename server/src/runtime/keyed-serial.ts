// Runs async work one at a time per key (a conversation id), in call order. This
// is how the runtime keeps durability order: an assignment's COMMIT happens before
// the visitor and the agent hear about it, because their notices queue behind it.
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    // A failed step does not block the ones behind it; its caller sees the error.
    const next = prev.then(fn, fn);
    const tail = next.then(() => {}, () => {});
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }

  /** Resolves when the work queued before this call has run (later work is not waited for). */
  async settled(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  /** Resolves when everything queued so far has run. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
