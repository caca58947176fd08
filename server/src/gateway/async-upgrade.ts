// WebSocket upgrade after an await (company key lookup, session check).
//
// Not inside res.cork(): with this uWS.js build (20.30), HttpResponse::cork() checks
// after its callback whether the corked socket is still the same pointer; when the
// upgrade adopted the socket into the WebSocket context WITHOUT moving it, cork()
// goes on to read HTTP response flags from memory that now holds the WebSocket's
// data, and may shutdown() + close() the fresh WebSocket: the client sees 101, then
// 1006, right after `open`. Whether the socket moves depends on the allocator, so
// this came and went (a CI run "timed out waiting for agent.ready"; every
// --cpu-prof load run). Outside a cork, upgrade() corks and uncorks the new
// WebSocket itself. uWS.js prints its "writes must be made from within a corked
// callback" warning for every such upgrade (it is meant for plain HTTP writes), so
// the visitor socket upgrades known company keys synchronously instead.
import type { HttpResponse, us_socket_context_t } from 'uWebSockets.js';

export function upgradeAfterAwait<T>(res: HttpResponse, userData: T, key: string, protocol: string, extensions: string, context: us_socket_context_t): void {
  res.upgrade<T>(userData, key, protocol, extensions, context);
}
