// Scenario d, generator side: visitors connect at an open-loop rate, say hello,
// and leave. Handshake time runs from the due time to the socket's open (so a
// backlog in accept() counts), ready time to visitor.ready.
import WebSocket from 'ws';
import { nowNs, openLoop, until } from '../lib/clock.js';
import { encode, newHistogram, recordNs } from '../lib/hdr.js';
import { loopbackSource } from '../lib/ws-client.js';

export interface ChurnPartInput { url: string; publicKey: string; tag: string; part: number }

export interface ChurnReport { attempted: number; connected: number; ready: number; closed: number; failed: number; firstError?: string; handshake: string; ready_: string; maxGeneratorLagMs: number }

export async function churnPart(input: ChurnPartInput) {
  const wsBase = input.url.replace(/^http/, 'ws');
  return {
    async churn(arg: { rate: number; durationMs: number; startAtMs: number; drainMs: number }): Promise<ChurnReport> {
      const hs = newHistogram();
      const rd = newHistogram();
      const r = { attempted: 0, connected: 0, ready: 0, closed: 0, failed: 0, firstError: undefined as string | undefined };
      const count = Math.round((arg.rate * arg.durationMs) / 1000);
      const startNs = nowNs() + (arg.startAtMs - Date.now()) * 1e6;
      const { maxLagMs } = await openLoop({
        rate: arg.rate, count, startNs, deadlineMs: arg.durationMs + 5000,
        fire: (k, due) => {
          r.attempted++;
          const ws = new WebSocket(`${wsBase}/ws/visitor?key=${input.publicKey}&vid=${input.tag}-${input.part}-${k}`, {
            perMessageDeflate: false, handshakeTimeout: 10_000, localAddress: loopbackSource(k * 7 + input.part),
          });
          let done = false;
          const finish = () => { if (!done) { done = true; r.closed++; } };
          ws.on('open', () => {
            r.connected++;
            recordNs(hs, nowNs() - due);
            ws.send(JSON.stringify({ v: 1, type: 'visitor.hello' }));
          });
          ws.on('message', (data) => {
            if (JSON.parse(String(data)).type !== 'visitor.ready') return;
            r.ready++;
            recordNs(rd, nowNs() - due);
            ws.close();
          });
          ws.on('close', finish);
          ws.on('error', (err) => { r.failed++; r.firstError ??= err.message; finish(); });
        },
      });
      await until(() => r.closed >= r.attempted, arg.drainMs);
      const out: ChurnReport = { ...r, firstError: r.firstError, handshake: encode(hs), ready_: encode(rd), maxGeneratorLagMs: Math.round(maxLagMs) };
      if (!out.firstError) delete out.firstError;
      hs.destroy();
      rd.destroy();
      return out;
    },
  };
}
