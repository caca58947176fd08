// Path coverage helper: enumerate shortest paths with xstate/graph, then replay each
// path on a real actor with a SimulatedClock (delayed events become clock increments)
// and check that the actor ends where the model says.
import { getShortestPaths } from 'xstate/graph';
import { createActor, SimulatedClock, type AnyStateMachine, type EventObject } from 'xstate';

export const afterEvent = (delay: string, stateId: string) => ({ type: `xstate.after.${delay}.${stateId}` });

export function replayShortestPaths<M extends AnyStateMachine>(opts: {
  machine: M;
  input: unknown;
  events: EventObject[];
  delays: Record<string, number>;
  serializeState?: (s: any) => string;
  /** Called with the live actor after every replayed path. */
  check: (actor: ReturnType<typeof createActor<M>>, stateKey: string) => void;
}): Set<string> {
  const paths = getShortestPaths(opts.machine, {
    input: opts.input,
    events: opts.events as never,
    ...(opts.serializeState ? { serializeState: opts.serializeState } : {}),
  } as never);
  const reached = new Set<string>();
  for (const path of paths) {
    const clock = new SimulatedClock();
    const actor = createActor(opts.machine, { input: opts.input, clock } as never);
    actor.start();
    for (const step of path.steps.slice(1)) {
      const m = /^xstate\.after\.([^.]+)\./.exec(step.event.type);
      if (m) clock.increment(opts.delays[m[1]!] ?? 0);
      else actor.send(step.event as never);
    }
    const expected = JSON.stringify((path.state as { value: unknown }).value);
    const actual = JSON.stringify((actor.getSnapshot() as { value: unknown }).value);
    if (expected !== actual) throw new Error(`path ${path.steps.map((s) => s.event.type).join(' → ')} ended in ${actual}, model says ${expected}`);
    opts.check(actor as never, expected);
    reached.add(expected);
    actor.stop();
  }
  return reached;
}
