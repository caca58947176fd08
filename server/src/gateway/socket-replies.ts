// Acknowledgements go out through the socket's own uWS topic instead of ws.send().
// uWS drains published messages once per loop turn, per socket and corked, so an ack
// and the message.created published to the same socket in that turn leave in ONE
// write; ws.send() would write at once, a second syscall per message (on loopback a
// write also runs the receiver's TCP path, which made socket writes the largest share
// of the server's CPU per routed message). The topic is made on the first ack, so idle
// sockets (tracked visitors) carry none.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';

export interface ReplyData { closed: boolean; replyTopic: string | null }

let nextTopic = 0;

export type Reply = <D extends ReplyData>(ws: WebSocket<D>, frame: object) => void;

export function socketReplies(app: TemplatedApp): Reply {
  return (ws, frame) => {
    const d = ws.getUserData();
    if (d.closed) return;
    if (d.replyTopic === null) {
      d.replyTopic = `r/${(nextTopic++).toString(36)}`;
      ws.subscribe(d.replyTopic);
    }
    app.publish(d.replyTopic, JSON.stringify(frame), false);
  };
}
