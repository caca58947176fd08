// The runtime's Fanout over uWS topics. A frame object sent to several audiences in
// one synchronous run (a message to the visitor and its agents, one queue snapshot to
// every agent serving the same scopes) is stringified once: the JSON is remembered
// per object until the current job ends (frames are built fresh per event, and the
// cache is dropped before any later code could change one).
//
// No explicit cork is needed here: app.publish() outside a uWS callback queues the
// message in uWS's topic tree, which drains it per subscriber on the next loop
// iteration with the socket corked (every frame a socket gets in one iteration goes
// out in one write; checked with strace: 10 publishes → 1 sendto, 10 ws.send → 10).
import type { TemplatedApp } from 'uWebSockets.js';
import { topics, type Fanout } from '../runtime/fanout.js';

let encoded: Map<object, string> | null = null;

/** JSON.stringify(frame), once per frame object within the current job. */
export function encodeFrame(frame: object): string {
  if (encoded === null) {
    encoded = new Map();
    queueMicrotask(() => { encoded = null; });
  }
  let json = encoded.get(frame);
  if (json === undefined) {
    json = JSON.stringify(frame);
    encoded.set(frame, json);
  }
  return json;
}

export function uwsFanout(app: TemplatedApp): Fanout {
  const publish = (topic: string, frame: object) => void app.publish(topic, encodeFrame(frame), false);
  return {
    toVisitor: (c, v, f) => publish(topics.visitor(c, v), f),
    toAgent: (c, a, f) => publish(topics.agent(c, a), f),
    toQueueWatchers: (c, f) => publish(topics.queue(c), f),
    toCompanyVisitors: (c, f) => publish(topics.companyVisitors(c), f),
    toScopeVisitors: (c, s, f) => publish(topics.scopeVisitors(c, s), f),
    toVisitorWatchers: (c, f) => publish(topics.visitorFeed(c), f),
  };
}
