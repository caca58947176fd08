// /ws/visitor: the widget's socket. Upgrade checks the company's public key;
// frames are validated here and handed to the chat service as typed calls.
import { randomBytes } from 'node:crypto';
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import { CloseCode, ErrorCode, MAX_FRAME_BYTES, type VisitorIn, type VisitorOut } from '../../../protocol/index.js';
import type { ChatRuntime } from '../runtime/chat-runtime.js';
import { topics } from '../runtime/fanout.js';
import {
  inviteAnswer, requestChat, visitorClosed, visitorEnd, visitorHello, visitorMessage, visitorOpened, visitorResume, visitorTyping, widgetState,
} from '../runtime/visitor-commands.js';
import type { AccountStore } from '../ports/account-store.js';
import type { ChatExtras } from '../runtime/chat-extras/chat-extras.js';
import type { Logger } from '../logger.js';
import { decodeVisitorFrame, errorFrame } from './validate.js';
import { AppError } from '../ports/errors.js';
import { readHeaders, remoteAddress } from './http.js';
import { ErrorBudget, errorFrameFor, SOCKET_LIMITS, type SocketRegistry } from './socket-common.js';
import type { GatewayMetrics } from './metrics.js';
import { upgradeAfterAwait } from './async-upgrade.js';
import { socketReplies, type Reply } from './socket-replies.js';

export interface VisitorData {
  companyId: string;
  visitorId: string;
  ip: string;
  name: string;
  /** routing scope from the widget's `group=` / `agent=` parameter: widget state and default queue */
  scope: string;
  closed: boolean;
  errors: ErrorBudget;
  /** this socket's own topic for acknowledgements (socket-replies.ts), once it has sent a message */
  replyTopic: string | null;
}

export interface VisitorSocketDeps {
  chat: ChatRuntime;
  accounts: AccountStore;
  /** C3/C4: blocked IPs and service regions, decided per company and IP */
  edge: { evaluate(companyId: string, ip: string): Promise<{ canChat: boolean; reason?: string }> };
  /** files, rating, forms, member identity (chat-extras/) */
  extras: ChatExtras;
  logger: Logger;
  metrics: GatewayMetrics;
  sockets: SocketRegistry;
  clientIp(remoteAddr: string, headers: Record<string, string>): string;
}

const VISITOR_ID = /^[A-Za-z0-9_-]{8,64}$/;
const SCOPE_ID = /^[A-Za-z0-9_.:@-]{1,64}$/;

/** `agent=<id>` wins over `group=<id>`; anything malformed means the whole company. */
function scopeFromQuery(query: URLSearchParams): string {
  const agent = query.get('agent');
  if (agent && SCOPE_ID.test(agent)) return `agent:${agent}`;
  const group = query.get('group');
  if (group && SCOPE_ID.test(group)) return `group:${group}`;
  return 'company';
}

export function send(ws: WebSocket<VisitorData>, frame: VisitorOut): void {
  if (!ws.getUserData().closed) ws.send(JSON.stringify(frame), false);
}

/** Company keys never change; a found one is trusted this long before it is looked up again. */
const KNOWN_KEY_MS = 60_000;

export function registerVisitorSocket(app: TemplatedApp, deps: VisitorSocketDeps): void {
  const reply = socketReplies(app);
  /** public key → company, for keys that were found (unknown keys are never kept, so this stays one entry per company) */
  const knownKeys = new Map<string, { companyId: string; at: number }>();
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
      const scope = scopeFromQuery(query);
      const refuse = (status: string, code: string, message: string) => res.cork(() => {
        res.writeStatus(status).writeHeader('Content-Type', 'application/json').end(JSON.stringify({ error: { code, message } }));
      });
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(publicKey)) { refuse('400 Bad Request', ErrorCode.BadRequest, 'missing or malformed company key'); return; }
      const data = (companyId: string): VisitorData => {
        const visitorId = VISITOR_ID.test(vid) ? vid : `v_${randomBytes(12).toString('base64url')}`;
        return { companyId, visitorId, ip, name: `Visitor ${visitorId.slice(-4)}`, scope, closed: false, errors: new ErrorBudget(), replyTopic: null };
      };
      // A key seen recently upgrades at once, inside this handler (the ordinary, corked
      // path); only a lookup goes async (see async-upgrade.ts for why that one is uncorked).
      const known = knownKeys.get(publicKey);
      if (known && Date.now() - known.at < KNOWN_KEY_MS) { res.upgrade<VisitorData>(data(known.companyId), key, protocol, extensions, context); return; }
      deps.accounts.companyByPublicKey(publicKey).then((company) => {
        if (aborted.value) return;
        if (!company) { refuse('403 Forbidden', ErrorCode.Forbidden, 'unknown company key'); return; }
        knownKeys.set(publicKey, { companyId: company.id, at: Date.now() });
        upgradeAfterAwait<VisitorData>(res, data(company.id), key, protocol, extensions, context);
      }, (err) => {
        deps.logger.error({ err }, 'visitor upgrade failed');
        if (!aborted.value) refuse('503 Service Unavailable', ErrorCode.Unavailable, 'try again shortly');
      });
    },
    open: (ws) => {
      const d = ws.getUserData();
      ws.subscribe(topics.visitor(d.companyId, d.visitorId));
      ws.subscribe(topics.scopeVisitors(d.companyId, d.scope));
      deps.chat.company(d.companyId).then((c) => visitorOpened(c, d.visitorId), (err) => deps.logger.error({ err }, 'visitor open failed'));
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
      handle(ws, decoded.frame, deps, reply).catch((err) => {
        const frame = errorFrameFor(err, decoded.frame.ref);
        if (frame.code === ErrorCode.Internal) deps.logger.error({ err, type: decoded.frame.type }, 'visitor frame failed');
        send(ws, frame);
      });
    },
    close: (ws) => {
      const d = ws.getUserData();
      d.closed = true;
      deps.chat.company(d.companyId).then((c) => visitorClosed(c, d.visitorId), () => {});
      deps.sockets.delete(ws);
      deps.metrics.visitorSockets.dec();
    },
  });
}

async function handle(ws: WebSocket<VisitorData>, f: VisitorIn, deps: VisitorSocketDeps, reply: Reply): Promise<void> {
  const d = ws.getUserData();
  const c = await deps.chat.company(d.companyId);
  switch (f.type) {
    case 'visitor.hello': {
      const mayChat = (await deps.edge.evaluate(d.companyId, d.ip)).canChat;
      if (f.name) d.name = f.name;
      d.name = (await deps.extras.member(c, d.visitorId, f.memberToken)) ?? d.name;
      visitorHello(c, d.visitorId, d.name, f.page);
      const { conversation, missed } = await visitorResume(c, d.visitorId, f.resume);
      send(ws, {
        // A blocked visitor (C3) or one outside the service regions (C4) sees the widget offline.
        v: 1, type: 'visitor.ready', visitorId: d.visitorId, widget: mayChat ? widgetState(c, d.scope) : 'offline',
        conversation: conversation ? { id: conversation.id, state: conversation.state, lastSeq: conversation.lastSeq } : null,
      });
      for (const message of missed) send(ws, { v: 1, type: 'message.created', message });
      return;
    }
    case 'chat.request': {
      await assertMayChat(d, deps);
      const scope = f.agentId ? `agent:${f.agentId}` : f.groupId ? `group:${f.groupId}` : d.scope;
      const opts = { scope, ...(f.text ? { text: f.text } : {}), ...(f.clientMsgId ? { clientMsgId: f.clientMsgId } : {}) };
      const { conversationId, created, ack } = await requestChat(c, d.visitorId, d.name, opts);
      // A new chat hears chat.queued / chat.assigned from the router; a repeated request gets the state again.
      if (!created) {
        const s = c.summary(conversationId);
        const ctx = c.router.getSnapshot().context;
        const at = s ? (ctx.queues[s.scope ?? 'company'] ?? []).indexOf(conversationId) : -1;
        if (at >= 0) send(ws, { v: 1, type: 'chat.queued', conversationId, position: at + 1, ahead: at });
        else if (s?.agentId) send(ws, { v: 1, type: 'chat.assigned', conversationId, agent: { id: s.agentId, name: c.agentName(s.agentId) } });
      }
      if (ack) send(ws, { v: 1, type: 'message.ack', ...(f.ref ? { ref: f.ref } : {}), ...ack });
      return;
    }
    case 'message.send': {
      await assertMayChat(d, deps);
      const ack = await visitorMessage(c, d.visitorId, f.conversationId, f.clientMsgId, f.text);
      deps.metrics.messages.inc({ sender: 'visitor' });
      reply(ws, { v: 1, type: 'message.ack', ...(f.ref ? { ref: f.ref } : {}), ...ack } satisfies VisitorOut);
      return;
    }
    case 'typing':
      visitorTyping(c, d.visitorId, f.conversationId, f.draft);
      return;
    case 'chat.end':
      visitorEnd(c, d.visitorId, f.conversationId);
      return;
    case 'invite.accept':
    case 'invite.decline':
      if (f.type === 'invite.accept') await assertMayChat(d, deps);
      inviteAnswer(c, d.visitorId, f.type === 'invite.accept');
      return;
    case 'ping':
      send(ws, { v: 1, type: 'pong' });
      return;
    case 'file.send':
      await assertMayChat(d, deps);
      send(ws, { v: 1, type: 'message.ack', ...(f.ref ? { ref: f.ref } : {}), ...(await deps.extras.visitorFile(c, d.visitorId, f.conversationId, f.clientMsgId, f.fileKey)) });
      return;
    case 'rating.submit': {
      const r = await deps.extras.rate(c, d.visitorId, f.conversationId, f.score, f.comment);
      send(ws, { v: 1, type: 'rating.saved', ...(f.ref ? { ref: f.ref } : {}), conversationId: f.conversationId, score: r.score, comment: r.comment });
      return;
    }
    case 'form.submit':
      await deps.extras.submitForm(c, d.visitorId, f.conversationId, f.fields);
      send(ws, { v: 1, type: 'form.saved', ...(f.ref ? { ref: f.ref } : {}), conversationId: f.conversationId });
      return;
  }
}

/** The server enforces C3/C4 on every chat action, whatever the widget shows. */
async function assertMayChat(d: VisitorData, deps: VisitorSocketDeps): Promise<void> {
  const decision = await deps.edge.evaluate(d.companyId, d.ip);
  if (!decision.canChat) throw new AppError(ErrorCode.Blocked, decision.reason === 'region_denied' ? 'chat is not offered in your region' : 'chat is not available', 403);
}
