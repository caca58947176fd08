// Scenario a, generator side: drives one transport (routed, echo, socketio) at an
// open-loop constant rate for one phase at a time, so the coordinator can step
// rates over the same connections.
import { nowNs, openLoop, until } from '../lib/clock.js';
import { PhaseStats, payloadId, type PhaseReport } from './message-stats.js';
import { RoutedTransport, type RoutedInput } from './transport-routed.js';
import { EchoTransport } from './transport-echo.js';
import { SocketIoTransport } from './transport-socketio.js';

export interface MessageTransport {
  readonly conversations: number;
  /** both ends send (visitor, then agent, alternately) */
  readonly twoSided: boolean;
  /** the sender gets an acknowledgement */
  readonly acks: boolean;
  setup(): Promise<void>;
  attach(stats: PhaseStats | null): void;
  send(c: number, side: 0 | 1, id: string, text: string): void;
  close(): Promise<void>;
}

export type MessagesPartInput =
  | ({ transport: 'routed' } & RoutedInput)
  | { transport: 'echo'; url: string; conversations: number }
  | { transport: 'socketio'; url: string; conversations: number; tag: string };

export interface PhaseArg { phase: number; rate: number; durationMs: number; startAtMs: number; drainMs: number; textBytes?: number }

export async function messagesPart(input: MessagesPartInput) {
  const t: MessageTransport = input.transport === 'routed' ? new RoutedTransport(input)
    : input.transport === 'echo' ? new EchoTransport(input)
    : new SocketIoTransport(input);
  await t.setup();
  return {
    async info(): Promise<{ autoAssigned: number; setupErrors: string[] }> {
      return t instanceof RoutedTransport ? { autoAssigned: t.autoAssigned, setupErrors: t.setupErrors.slice(0, 5) } : { autoAssigned: 0, setupErrors: [] };
    },
    async phase(arg: PhaseArg): Promise<PhaseReport> {
      const stats = new PhaseStats(arg.phase);
      t.attach(stats);
      const C = t.conversations;
      const count = Math.max(1, Math.round((arg.rate * arg.durationMs) / 1000));
      const pad = 'x'.repeat(Math.max(0, (arg.textBytes ?? 64) - 40));
      const startNs = nowNs() + (arg.startAtMs - Date.now()) * 1e6;
      const { maxLagMs } = await openLoop({
        rate: arg.rate, count, startNs, deadlineMs: arg.durationMs + 5000,
        fire: (k, due) => {
          const c = k % C;
          const side = t.twoSided ? ((Math.floor(k / C) % 2) as 0 | 1) : 0;
          const id = payloadId(arg.phase, k, due);
          stats.sent++;
          t.send(c, side, id, `${id} ${pad}`);
        },
      });
      await until(() => stats.delivered >= stats.sent && (!t.acks || stats.acked >= stats.sent), arg.drainMs);
      t.attach(null);
      return stats.report(maxLagMs);
    },
    close: () => t.close(),
  };
}
