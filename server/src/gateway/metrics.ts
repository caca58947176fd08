// Prometheus metrics served at GET /metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  visitorSockets: Gauge;
  agentSockets: Gauge;
  /** committed chat messages by sender; `inc({ sender })` keeps prom-client's API, without hashing labels per call */
  messages: { inc(labels: { sender: 'visitor' | 'agent' }): void };
  queueLength: Gauge;
}

export function createMetrics(queueLength: () => number): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    visitorSockets: new Gauge({ name: 'switchboard_visitor_connections', help: 'open visitor WebSockets', registers: [registry] }),
    agentSockets: new Gauge({ name: 'switchboard_agent_connections', help: 'open agent WebSockets', registers: [registry] }),
    messages: cachedChildren(new Counter({ name: 'switchboard_messages_total', help: 'chat messages committed', labelNames: ['sender'], registers: [registry] })),
    queueLength: new Gauge({
      name: 'switchboard_queue_length', help: 'queued chats over all companies', registers: [registry],
      collect() { this.set(queueLength()); },
    }),
  };
}

/** One labelled child per sender, made once: counter.inc({ sender }) would hash the label object on every message. */
function cachedChildren(counter: Counter<'sender'>): GatewayMetrics['messages'] {
  const children = { visitor: counter.labels({ sender: 'visitor' }), agent: counter.labels({ sender: 'agent' }) };
  return { inc: ({ sender }) => children[sender].inc() };
}
