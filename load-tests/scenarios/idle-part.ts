// Scenario c, generator side: tracked visitors (socket + visitor.hello with a
// page) that then sit idle. ramp() opens more up to a total; sockets spread over
// 127.0.0.2–254 so no single source address runs out of ports.
import { JsonSocket, loopbackSource, mapLimit } from '../lib/ws-client.js';

export interface IdlePartInput { url: string; publicKey: string; tag: string; concurrency?: number }

export async function idlePart(input: IdlePartInput) {
  const sockets: JsonSocket[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const wsBase = input.url.replace(/^http/, 'ws');
  return {
    async ramp(arg: { total: number; deadlineMs: number }): Promise<{ open: number; failed: number; firstError?: string }> {
      const end = Date.now() + arg.deadlineMs;
      const from = sockets.length + failed;
      const todo = Array.from({ length: Math.max(0, arg.total - from) }, (_, i) => from + i);
      await mapLimit(todo, input.concurrency ?? 100, async (i) => {
        if (Date.now() > end) { failed++; return; }
        try {
          const s = await JsonSocket.open(`${wsBase}/ws/visitor?key=${input.publicKey}&vid=${input.tag}-${i}`, { localAddress: loopbackSource(i) });
          const ready = s.waitFor((f) => f.type === 'visitor.ready', 30_000, 'visitor.ready');
          s.send({ type: 'visitor.hello', page: { url: `https://shop.example/p/${i % 500}`, title: 'Product', referrer: 'https://www.baidu.com/s?wd=shoes' } });
          await ready;
          sockets.push(s);
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
      });
      const stillOpen = sockets.filter((s) => !s.closed).length;
      return { open: stillOpen, failed: failed + (sockets.length - stillOpen), ...(firstError ? { firstError } : {}) };
    },
    async close() {
      // terminate(): closing 10k sockets politely takes longer than it tells us.
      for (const s of sockets) s.ws.terminate();
    },
  };
}
