// /ws/visitor: the widget's socket. Upgrade checks the company's public key;
// frames are validated here and handed to the chat service as typed calls.
import { randomBytes } from 'node:crypto';
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import { CloseCode, ErrorCode, MAX_FRAME_BYTES, type VisitorIn, type VisitorOut } from '../../../protocol/index.js';
import type { ChatService } from '../runtime/chat-service.js';
import { topics } from '../runtime/fanout.js';
import type { AccountStore } from '../ports/account-store.js';
import type { Logger } from '../logger.js';
import { decodeVisitorFrame, errorFrame } from './validate.js';
import { readHeaders, remoteAddress } from './http.js';
import { ErrorBudget, errorFrameFor, SOCKET_LIMITS, type SocketRegistry } from './socket-common.js';
import type { GatewayMetrics } from './metrics.js';

export interface VisitorData {
  companyId: string;
  visitorId: string;
  ip: string;
  name: string;
  closed: boolean;
  errors: ErrorBudget;
}

export interface VisitorSocketDeps {
  chat: ChatService;
  accounts: AccountStore;
  logger: Logger;
  metrics: GatewayMetrics;
  sockets: SocketRegistry;
  clientIp(remoteAddr: string, headers: Record<string, string>): string;
}

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function send(ws: WebSocket<VisitorData>, frame: VisitorOut): void {
  if (!ws.getUserData().closed) ws.send(JSON.stringify(frame), false);
}

export function registerVisitorSocket(app: TemplatedApp, deps: VisitorSocketDeps): void {
  app.ws<VisitorData>('/ws/visitor', {
    ...SOCKET_LIMITS,
    upgrade: (res, req, context) => {
      const aborted = { value: false };
      res.onAborted(() => { aborted.value = true; });
      const query = new URLSearchParams(req.getQuery() ?? '');
      const headers = readHeaders(req);
      const key = headers['sec-websocket-key'] ?? '';
      const protocol = headers['sec-websocket-protocol'] ?? '';
      const extensions = headers['sec-websocket-extensions'] ?? '';
      const ip = deps.clientIp(remoteAddress(res), headers);
      const publicKey = query.get('key') ?? '';
      const vid = query.get('vid') ?? '';
      const refuse = (status: string, code: string, message: string) => res.cork(() => {
        res.writeStatus(status).writeHeader('Content-Type', 'application/json').end(JSON.stringify({ error: { code, message } }));
      });
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(publicKey)) { refuse('400 Bad Request', ErrorCode.BadRequest, 'missing or malformed company key'); return; }
      deps.accounts.companyByPublicKey(publicKey).then((company) => {
        if (aborted.value) return;
        if (!company) { refuse('403 Forbidden', ErrorCode.Forbidden, 'unknown company key'); return; }
        const visitorId = VISITOR_ID.test(vid) ? vid : `v_${randomBytes(12).toString('base64url')}`;
        res.cork(() => res.upgrade<VisitorData>(
          { companyId: company.id, visitorId, ip, name: `Visitor ${visitorId.slice(-4)}`, closed: false, errors: new ErrorBudget() },
          key, protocol, extensions, context,
        ));
      }, (err) => {
        deps.logger.error({ err }, 'visitor upgrade failed');
        if (!aborted.value) refuse('503 Service Unavailable', ErrorCode.Unavailable, 'try again shortly');
      });
    },
    open: (ws) => {
      const d = ws.getUserData();
      ws.subscribe(topics.visitor(d.companyId, d.visitorId));
      ws.subscribe(topics.companyVisitors(d.companyId));
      deps.sockets.add(ws);
      deps.metrics.visitorSockets.inc();
    },
    message: (ws, raw) => {
      const d = ws.getUserData();
      if (raw.byteLength > MAX_FRAME_BYTES) {
        send(ws, errorFrame(ErrorCode.TooLarge, `frame over ${MAX_FRAME_BYTES} bytes`));
        return;
      }
      const decoded = decodeVisitorFrame(raw);
      if (!decoded.ok) {
        send(ws, decoded.error);
        if (d.errors.spend()) ws.end(CloseCode.TooManyErrors, 'too many bad frames');
        return;
      }
      handle(ws, decoded.frame, deps).catch((err) => {
        const frame = errorFrameFor(err, decoded.frame.ref);
        if (frame.code === ErrorCode.Internal) deps.logger.error({ err, type: decoded.frame.type }, 'visitor frame failed');
        send(ws, frame);
      });
    },
    close: (ws) => {
      ws.getUserData().closed = true;
      deps.sockets.delete(ws);
      deps.metrics.visitorSockets.dec();
    },
  });
}

async function handle(ws: WebSocket<VisitorData>, f: VisitorIn, deps: VisitorSocketDeps): Promise<void> {
  const d = ws.getUserData();
  const { chat } = deps;
  switch (f.type) {
    case 'visitor.hello': {
      if (f.name) d.name = f.name;
      const { conversation, missed } = await chat.visitorResume(d.companyId, d.visitorId, f.resume);
      send(ws, {
        v: 1, type: 'visitor.ready', visitorId: d.visitorId, widget: chat.widgetState(d.companyId),
        conversation: conversation ? { id: conversation.id, state: conversation.state, lastSeq: conversation.lastSeq } : null,
      });
      for (const message of missed) send(ws, { v: 1, type: 'message.created', message });
      return;
    }
    case 'chat.request': {
      const opts = { ...(f.groupId ? { groupId: f.groupId } : {}), ...(f.text ? { text: f.text } : {}), ...(f.clientMsgId ? { clientMsgId: f.clientMsgId } : {}) };
      const { conversation, position, ack } = await chat.requestChat(d.companyId, d.visitorId, d.name, opts);
      if (position !== null) send(ws, { v: 1, type: 'chat.queued', conversationId: conversation.id, position, ahead: position - 1 });
      if (ack) send(ws, { v: 1, type: 'message.ack', ...(f.ref ? { ref: f.ref } : {}), ...ack });
      return;
    }
    case 'message.send': {
      const ack = await chat.visitorMessage(d.companyId, d.visitorId, f.conversationId, f.clientMsgId, f.text);
      deps.metrics.messages.inc({ sender: 'visitor' });
      send(ws, { v: 1, type: 'message.ack', ...(f.ref ? { ref: f.ref } : {}), ...ack });
      return;
    }
    case 'typing':
      chat.visitorTyping(d.companyId, d.visitorId, f.conversationId, f.draft);
      return;
    case 'chat.end':
      await chat.visitorEnd(d.companyId, d.visitorId, f.conversationId);
      return;
    case 'ping':
      send(ws, { v: 1, type: 'pong' });
      return;
  }
}
