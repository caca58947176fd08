// Load-test harness, smoke sizes (issue: load-test harness and performance
// baseline, item 5): every scenario of load-tests/ runs for a few seconds against
// the real server and is checked for correctness only — all messages delivered
// in order, routing invariants hold, every connection served. No timing asserts:
// the figures belong to `npm run load`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createLoadCompanies } from '../../load-tests/lib/fixtures.js';
import { startSocketIoRelay } from '../../load-tests/lib/target.js';
import { runMessages, type MessagesOptions, type MessagesResult } from '../../load-tests/scenarios/messages.js';
import { runAssignment } from '../../load-tests/scenarios/assignment.js';
import { runIdle } from '../../load-tests/scenarios/idle.js';
import { runChurn } from '../../load-tests/scenarios/churn.js';

let server: TestServer;
const tag = Date.now().toString(36);
const small: MessagesOptions = {
  conversations: 6, parts: 0, chatsPerAgent: 3, rates: [60], startRate: 60, maxRate: 60,
  stepMs: 1000, halfMs: 0, drainMs: 15_000, sloP99Ms: 60_000, tag,
};

beforeAll(async () => {
  server = await startTestServer({ ECHO_ENDPOINT: 'true' });
});

afterAll(async () => {
  await server?.dispose();
});

function expectAllDeliveredInOrder(r: MessagesResult, opts: { acks: boolean; order: boolean }) {
  expect(r.phases.length).toBeGreaterThan(0);
  for (const p of r.phases) {
    expect(p.sent).toBeGreaterThan(0);
    expect({ delivered: p.delivered, errors: p.errors, gaps: p.gaps, duplicates: p.duplicates, firstError: p.firstError })
      .toEqual({ delivered: p.sent, errors: 0, gaps: 0, duplicates: 0, firstError: undefined });
    if (opts.acks) expect(p.acked).toBe(p.sent);
    if (opts.order) expect(p.orderViolations).toBe(0);
  }
}

describe('load harness smoke', () => {
  it('a. messages: visitors and agents exchange every message over the routed sockets, each sender in order, each acked', async () => {
    const r = await runMessages({ kind: 'routed', url: server.url, ownerUrl: server.db.ownerUrl }, { ...small, tag: `${tag}r` });
    expectAllDeliveredInOrder(r, { acks: true, order: true });
  });

  it('a. baseline: the raw echo endpoint returns every frame in order', async () => {
    const r = await runMessages({ kind: 'echo', url: server.url }, { ...small, tag: `${tag}e` });
    expectAllDeliveredInOrder(r, { acks: false, order: true });
  });

  it('a. baseline: the Socket.IO + Postgres relay delivers and acknowledges every message', async () => {
    const relay = await startSocketIoRelay(server.db.ownerUrl);
    try {
      const r = await runMessages({ kind: 'socketio', url: relay.url, ownerUrl: server.db.ownerUrl }, { ...small, tag: `${tag}s` });
      // Its per-message INSERTs race each other, so order is not its promise.
      expectAllDeliveredInOrder(r, { acks: true, order: false });
    } finally {
      await relay.stop();
    }
  });

  it('b. assignment storm: every request is assigned once, within caps, and the server records agree', async () => {
    const r = await runAssignment({ url: server.url, ownerUrl: server.db.ownerUrl }, {
      rate: 20, requests: 12, agents: 4, maxChats: 2, holdMs: 50, parts: 0, drainMs: 20_000, tag: `${tag}b`,
    });
    expect({ assigned: r.assigned, ended: r.ended, errors: r.errors, firstError: r.firstError }).toEqual({ assigned: 12, ended: 12, errors: 0, firstError: undefined });
    expect(r.invariants.assigned).toBe(12);
    expect({ twoAgents: r.invariants.twoAgents, overCap: r.invariants.overCap, seen: r.doubleAssignedSeen, mismatched: r.mismatchedAgent })
      .toEqual({ twoAgents: 0, overCap: 0, seen: 0, mismatched: 0 });
    // FIFO is the router's promise; with manual accept the order is the clients'.
    if (r.mode === 'auto') expect(r.invariants.fifoInversions).toBe(0);
  });

  it('c. idle capacity: tracked visitors spread over loopback source addresses all get ready and stay open', async () => {
    const [company] = await createLoadCompanies(server.db.ownerUrl, { companies: 1, agentsPerCompany: 0, maxChats: 5, tag: `${tag}c` });
    const r = await runIdle({ url: server.url, publicKey: company!.publicKey, pid: process.pid }, { target: 60, steps: 2, parts: 0, stepDeadlineMs: 30_000, tag });
    expect(r.steps.map((s) => [s.connections, s.failed])).toEqual([[30, 0], [60, 0]]);
    expect(r.firstError).toBeUndefined();
  });

  it('d. churn: every visitor that connects gets visitor.ready and disconnects cleanly', async () => {
    const [company] = await createLoadCompanies(server.db.ownerUrl, { companies: 1, agentsPerCompany: 0, maxChats: 5, tag: `${tag}d` });
    const r = await runChurn({ url: server.url, publicKey: company!.publicKey }, { rate: 20, durationMs: 1000, parts: 0, drainMs: 15_000, tag });
    expect(r.attempted).toBe(20);
    expect({ connected: r.connected, ready: r.ready, closed: r.closed, failed: r.failed }).toEqual({ connected: 20, ready: 20, closed: 20, failed: 0 });
  });
});
