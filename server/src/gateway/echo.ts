// Raw uWS echo at /ws/echo, enabled only by ECHO_ENDPOINT=true: the load tests'
// baseline for what this process can do without routing or persistence.
import type { TemplatedApp } from 'uWebSockets.js';
import { SOCKET_LIMITS } from './socket-common.js';

export function registerEcho(app: TemplatedApp): void {
  app.ws('/ws/echo', {
    ...SOCKET_LIMITS,
    message: (ws, msg, isBinary) => { ws.send(msg, isBinary); },
  });
}
