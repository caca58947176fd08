// Load-test endpoints, enabled only by ECHO_ENDPOINT=true (never in production):
// the raw uWS echo at /ws/echo, the baseline for what this process can do without
// routing or persistence; and GET /load/memory, the process's memory after a full
// GC when started with --expose-gc (RSS alone counts garbage not yet collected,
// which made the idle scenario's bytes per connection swing 7x between runs).
import type { TemplatedApp } from 'uWebSockets.js';
import { SOCKET_LIMITS } from './socket-common.js';

export function registerEcho(app: TemplatedApp): void {
  app.ws('/ws/echo', {
    ...SOCKET_LIMITS,
    message: (ws, msg, isBinary) => { ws.send(msg, isBinary); },
  });
  app.get('/load/memory', (res) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    res.writeHeader('Content-Type', 'application/json').end(JSON.stringify({ collected: gc !== undefined, ...m }));
  });
}
