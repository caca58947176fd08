// The per-message actors alone (no sockets, no database): µs per event of what every
// chat message costs in XState — the conversation actor (visitor and agent messages
// alternating, as in scenario a) and the agent actor's activity ping that every agent
// frame sends. Effects are counted, not performed. `npx tsx load-tests/actor-bench.ts [N]`.
import { createActor } from 'xstate';
import { conversationMachine } from '../machines/conversation/conversation.machine.js';
import { agentMachine } from '../machines/agent/agent.machine.js';

const N = Number(process.argv[2] ?? 100_000);
let effects = 0;
const count = () => { effects++; };
const texts = { welcome: '', waiting: '', busy: '', closing: '' };

function run(what: string, send: (i: number) => void): void {
  for (let i = 0; i < 2000; i++) send(i); // warm-up
  effects = 0;
  const t = performance.now();
  for (let i = 0; i < N; i++) send(i);
  const us = ((performance.now() - t) / N) * 1000;
  process.stdout.write(`${what}: ${us.toFixed(2)} µs/event, ${(effects / N).toFixed(2)} effects/event\n`);
}

function conversation(autoReply: boolean) {
  const actor = createActor(conversationMachine.provide({ actions: { persistMessage: count, shareHistory: count, conversationEnded: count, reject: count } }), {
    input: {
      companyId: 'bench', conversationId: 'c1', visitorId: 'v1', texts, visitorGraceMs: 60_000,
      autoReplies: autoReply ? { a1: { text: 'back soon', afterMs: 60_000, maxTimes: 1_000_000_000 } } : {},
    },
  });
  actor.start();
  actor.send({ type: 'routing.assigned', agentId: 'a1', agentName: 'A', mode: 'auto', includeHistory: false, watchers: [] });
  return actor;
}

for (const autoReply of [false, true]) {
  const c = conversation(autoReply);
  run(`conversation, auto-reply ${autoReply ? 'on ' : 'off'}: visitor/agent message alternating`, (i) => c.send(
    i % 2 === 0 ? { type: 'visitor.message', text: 'hi', clientMsgId: `m${i}` } : { type: 'agent.message', agentId: 'a1', text: 'hello', clientMsgId: `m${i}` },
  ));
  c.stop();
}

const agent = createActor(agentMachine.provide({ actions: { reportPresence: count, reject: count } }), {
  input: { companyId: 'bench', agentId: 'a1', canAccept: true, isAdmin: false, idleAwayMs: 600_000, graceMs: 60_000, restoreStatus: null },
});
agent.start();
agent.send({ type: 'socket.open' });
agent.send({ type: 'status.set', status: 'online' });
run(`agent activity (idle auto-away on, state ${JSON.stringify(agent.getSnapshot().value)})`, () => agent.send({ type: 'activity' }));
agent.stop();
