// The ONE /ws/agent connection. Transport only: it connects, says hello with
// what the console already holds (so the server replays just the gap),
// reconnects with backoff, measures latency for the connection indicator (B5)
// and hands every server frame to one handler. What frames mean lives in
// composables/useConsoleSession.ts and the conversation/queue stores.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { CloseCode, PROTOCOL_VERSION } from '../../../protocol/codes';
import type { AgentIn, AgentOut } from '../../../protocol/agent-frames';

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';
export type ConnectionQuality = 'good' | 'fair' | 'poor' | 'disconnected';
/** Why the socket will not come back by itself. */
export type StopReason = 'logout' | 'unauthorized' | 'replaced' | 'forbidden';

type Resume = NonNullable<Extract<AgentIn, { type: 'agent.hello' }>['resume']>;
/** A client frame without the version field, which the store adds. */
export type OutFrame = AgentIn extends infer F ? (F extends { v: 1 } ? Omit<F, 'v'> : never) : never;

export interface SessionHooks {
  resume: () => Resume;
  onFrame: (frame: AgentOut) => void;
  /** after agent.ready: resend what was not acknowledged */
  onReady: () => void;
  onStopped: (reason: StopReason) => void;
  /** Asked when an upgrade fails: the gateway refuses a dead session with HTTP
   *  401, which the browser reports only as close 1006, so we must ask. */
  sessionAlive: () => Promise<boolean>;
}

const PING_EVERY_MS = 15_000;
const PONG_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 15_000;

export const useSocketStore = defineStore('socket', () => {
  const state = ref<ConnectionState>('idle');
  const rttMs = ref<number | null>(null);
  /** when the next reconnect attempt happens (ms epoch), while waiting */
  const retryAt = ref<number | null>(null);
  const stopReason = ref<StopReason | null>(null);
  const ws = shallowRef<WebSocket | null>(null);

  let hooks: SessionHooks | null = null;
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let pingSentAt = 0;

  const quality = computed<ConnectionQuality>(() => {
    if (state.value !== 'ready') return 'disconnected';
    const rtt = rttMs.value ?? 0;
    return rtt < 300 ? 'good' : rtt < 1000 ? 'fair' : 'poor';
  });

  function start(h: SessionHooks): void {
    hooks = h;
    stopReason.value = null;
    attempts = 0;
    window.addEventListener('online', reconnectNow);
    open();
  }

  function open(): void {
    clearTimers();
    retryAt.value = null;
    state.value = 'connecting';
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/agent`;
    const sock = new WebSocket(url);
    ws.value = sock;
    let opened = false;
    sock.onopen = () => {
      opened = true;
      sock.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'agent.hello', resume: hooks?.resume() ?? [] }));
    };
    sock.onmessage = (ev) => {
      if (ws.value !== sock) return;
      let frame: AgentOut;
      try {
        frame = JSON.parse(String(ev.data)) as AgentOut;
      } catch {
        return; // the server only sends JSON; ignore a torn frame rather than die
      }
      if (frame.type === 'pong') return onPong();
      if (frame.type === 'agent.ready') {
        state.value = 'ready';
        attempts = 0;
        hooks?.onFrame(frame);
        hooks?.onReady();
        startPing();
        return;
      }
      hooks?.onFrame(frame);
    };
    sock.onclose = (ev) => {
      if (ws.value !== sock) return; // an old socket we already replaced
      ws.value = null;
      clearTimers();
      const terminal = terminalReason(ev.code);
      if (terminal) return stop(terminal);
      if (state.value === 'stopped') return;
      scheduleRetry();
      if (!opened) {
        const h = hooks;
        void h?.sessionAlive().then((alive) => {
          if (!alive && hooks === h && state.value === 'waiting') stop('unauthorized');
        });
      }
    };
  }

  function terminalReason(code: number): StopReason | null {
    if (code === CloseCode.Unauthorized || code === CloseCode.SessionExpired) return 'unauthorized';
    if (code === CloseCode.Replaced) return 'replaced';
    if (code === CloseCode.Forbidden || code === CloseCode.Blocked) return 'forbidden';
    return null;
  }

  function scheduleRetry(): void {
    state.value = 'waiting';
    // Exponential backoff with jitter so a restarted server is not stampeded.
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    attempts++;
    retryAt.value = Date.now() + delay;
    retryTimer = setTimeout(open, delay);
  }

  function reconnectNow(): void {
    if (state.value === 'waiting') open();
  }

  function startPing(): void {
    pingTimer = setInterval(ping, PING_EVERY_MS);
    ping();
  }

  function ping(): void {
    if (!send({ type: 'ping' })) return;
    pingSentAt = performance.now();
    clearTimeout(pongTimer);
    // A half-open TCP connection never closes by itself: no pong means dead.
    pongTimer = setTimeout(() => ws.value?.close(4000, 'pong timeout'), PONG_TIMEOUT_MS);
  }

  function onPong(): void {
    clearTimeout(pongTimer);
    rttMs.value = Math.round(performance.now() - pingSentAt);
  }

  /** Sends when the session is ready; false otherwise (callers keep their own outbox). */
  function send(frame: OutFrame): boolean {
    const sock = ws.value;
    if (!sock || sock.readyState !== WebSocket.OPEN || state.value !== 'ready') return false;
    sock.send(JSON.stringify({ v: PROTOCOL_VERSION, ...frame }));
    return true;
  }

  function stop(reason: StopReason): void {
    const wasRunning = state.value !== 'stopped' && state.value !== 'idle';
    state.value = 'stopped';
    stopReason.value = reason;
    clearTimers();
    retryAt.value = null;
    window.removeEventListener('online', reconnectNow);
    const sock = ws.value;
    ws.value = null;
    sock?.close(CloseCode.Normal, reason);
    if (wasRunning) hooks?.onStopped(reason);
    hooks = null;
  }

  function clearTimers(): void {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  }

  // ws: the live socket, so feature stores (chat-extras) can listen for their own frame types.
  return { state, quality, rttMs, retryAt, stopReason, ws, start, stop, send, reconnectNow };
});
