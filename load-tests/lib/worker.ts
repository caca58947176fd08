// Child-process side of pool.ts: builds one part and answers its method calls.
import { partFactories, type PartName } from './parts.js';

type Part = Record<string, (arg: any) => Promise<unknown>>;
let part: Part | null = null;

process.on('message', async (m: { id: number; method: string; arg: any }) => {
  try {
    let value: unknown;
    if (m.method === 'init') {
      part = await partFactories[m.arg.name as PartName](m.arg.input);
    } else if (m.method === 'close') {
      await part?.close?.(undefined);
    } else {
      const fn = part?.[m.method];
      if (!fn) throw new Error(`no method ${m.method}`);
      value = await fn(m.arg);
    }
    process.send!({ id: m.id, ok: true, value });
  } catch (err) {
    process.send!({ id: m.id, ok: false, error: (err as Error).stack ?? String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
