// Prometheus metrics served at GET /metrics.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  visitorSockets: Gauge;
  agentSockets: Gauge;
  messages: Counter<'sender'>;
  queueLength: Gauge;
}

export function createMetrics(queueLength: () => number): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    visitorSockets: new Gauge({ name: 'switchboard_visitor_connections', help: 'open visitor WebSockets', registers: [registry] }),
    agentSockets: new Gauge({ name: 'switchboard_agent_connections', help: 'open agent WebSockets', registers: [registry] }),
    messages: new Counter({ name: 'switchboard_messages_total', help: 'chat messages committed', labelNames: ['sender'], registers: [registry] }),
    queueLength: new Gauge({
      name: 'switchboard_queue_length', help: 'queued chats over all companies', registers: [registry],
      collect() { this.set(queueLength()); },
    }),
  };
}
