// The company router alone (no sockets, no database): µs per router event with A
// agents online (cap 5, auto-assignment) and Q chat requests, then Q chat ends.
// Effects are counted, not performed. `npx tsx load-tests/router-bench.ts [A] [Q]`.
// A storm is ~3 router events per chat, so µs/event × 3 bounds what one core can route.
import { createActor } from 'xstate';
import { routerMachine } from '../machines/routing/router.machine.js';
import { DEFAULT_ROUTER_SETTINGS } from '../machines/routing/types.js';

const A = Number(process.argv[2] ?? 40);
const Q = Number(process.argv[3] ?? 1000);
let effects = 0;
const names = ['persistAssignment', 'persistRequeue', 'notifyVisitor', 'notifyAgent', 'notifyConversation', 'queueChanged',
  'widgetStateChanged', 'monitorChanged', 'recordAnalytics', 'reject'];
const actions = Object.fromEntries(names.map((n) => [n, () => { effects++; }]));
const actor = createActor(routerMachine.provide({ actions: actions as any }), {
  input: { companyId: 'bench', settings: { ...DEFAULT_ROUTER_SETTINGS, autoAssign: true }, dayKey: '2026-01-01', agents: [], chats: [] },
});
actor.start();
for (let i = 0; i < A; i++) {
  actor.send({ type: 'agent.upsert', profile: { id: `a${i}`, name: `A${i}`, groups: [], canAccept: true, canMonitor: false, isAdmin: false, cap: 5, autoAccept: true } });
  actor.send({ type: 'agent.presence', agentId: `a${i}`, status: 'online', connected: true });
}
const run = (what: string, send: (i: number) => void) => {
  effects = 0;
  const t = performance.now();
  for (let i = 0; i < Q; i++) send(i);
  const us = ((performance.now() - t) / Q) * 1000;
  process.stdout.write(`${what}: ${us.toFixed(0)} µs/event, ${(effects / Q).toFixed(1)} effects/event\n`);
};
process.stdout.write(`router: ${A} agents (cap 5, auto-assignment), ${Q} chats\n`);
run('chat.request', (i) => actor.send({ type: 'chat.request', conversationId: `c${i}`, visitorId: `v${i}`, scope: { kind: 'company' } }));
run('chat.ended  ', (i) => actor.send({ type: 'chat.ended', conversationId: `c${i}` }));
