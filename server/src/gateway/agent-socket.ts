// /ws/agent: the console's socket, authenticated by the session cookie at upgrade.
// The Origin must be our own (no cross-site WebSocket hijacking).
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import { CloseCode, ErrorCode, MAX_FRAME_BYTES, type AgentIn, type AgentOut } from '../../../protocol/index.js';
import type { AgentIdentity, ChatRuntime } from '../runtime/chat-runtime.js';
import type { RoutingAgent } from '../ports/account-store.js';
import * as agents from '../runtime/agent-commands.js';
import type { ChatExtras } from '../runtime/chat-extras/chat-extras.js';
import { topics } from '../runtime/fanout.js';
import type { AuthContext } from '../http/types.js';
import type { Logger } from '../logger.js';
import { decodeAgentFrame, errorFrame } from './validate.js';
import { parseCookies, readHeaders } from './http.js';
import { ErrorBudget, errorFrameFor, SOCKET_LIMITS, type SocketRegistry } from './socket-common.js';
import type { GatewayMetrics } from './metrics.js';
import { upgradeAfterAwait } from './async-upgrade.js';
import { socketReplies, type Reply } from './socket-replies.js';

export interface AgentData extends AgentIdentity {
  sessionId: string;
  closed: boolean;
  errors: ErrorBudget;
  /** when this socket last reset the agent's auto-away timer */
  activityAt: number;
  /** this socket's own topic for acknowledgements (see socket-replies.ts), once it has sent a message */
  replyTopic: string | null;
}

/** Frames reset the auto-away timer (minutes) at most this often per socket: one actor transition and timer per frame was measurable. */
const ACTIVITY_EVERY_MS = 1000;

export interface AgentSocketDeps {
  chat: ChatRuntime;
  /** files, rating, forms (chat-extras/) */
  extras: ChatExtras;
  logger: Logger;
  metrics: GatewayMetrics;
  sockets: SocketRegistry;
  authenticate(sessionId: string): Promise<AuthContext | null>;
  /** origins allowed to open the console socket, e.g. http://localhost:8080 */
  isAllowedOrigin(origin: string | undefined, host: string | undefined): boolean;
}

export function sendAgent(ws: WebSocket<AgentData>, frame: AgentOut): void {
  if (!ws.getUserData().closed) ws.send(JSON.stringify(frame), false);
}

/**
 * An admin changed the company's agents (A5): every open console socket takes its
 * agent's new permissions at once (frames are checked against them, the waiting
 * list follows accept_chats); a disabled or deleted agent's sockets are told and closed.
 */
function applyAgents(open: Set<WebSocket<AgentData>> | undefined, agents: RoutingAgent[]): void {
  const byId = new Map(agents.map((a) => [a.id, a]));
  for (const ws of open ?? []) {
    const d = ws.getUserData();
    if (d.closed) continue;
    const a = byId.get(d.agentId);
    if (!a) {
      sendAgent(ws, { v: 1, type: 'agent.permissions', role: d.isAdmin ? 'admin' : 'agent', permissions: [], disabled: true });
      ws.end(CloseCode.Forbidden, 'agent disabled');
      continue;
    }
    Object.assign(d, { name: a.name, permissions: a.permissions, isAdmin: a.role === 'admin' });
    if (a.permissions.includes('accept_chats')) ws.subscribe(topics.queue(d.companyId));
    else ws.unsubscribe(topics.queue(d.companyId));
  }
}

export function registerAgentSocket(app: TemplatedApp, deps: AgentSocketDeps): void {
  const reply = socketReplies(app);
  /** open console sockets by company */
  const open = new Map<string, Set<WebSocket<AgentData>>>();
  deps.chat.onAgentsChanged((companyId, agents) => applyAgents(open.get(companyId), agents));
  app.ws<AgentData>('/ws/agent', {
    ...SOCKET_LIMITS,
    upgrade: (res, req, context) => {
      const aborted = { value: false };
      res.onAborted(() => { aborted.value = true; });
      const headers = readHeaders(req);
      const refuse = (status: string, code: string, message: string) => res.cork(() => {
        res.writeStatus(status).writeHeader('Content-Type', 'application/json').end(JSON.stringify({ error: { code, message } }));
      });
      if (!deps.isAllowedOrigin(headers.origin, headers.host)) { refuse('403 Forbidden', ErrorCode.Forbidden, 'origin not allowed'); return; }
      const sid = parseCookies(headers.cookie).sb_session;
      if (!sid) { refuse('401 Unauthorized', ErrorCode.Unauthorized, 'log in first'); return; }
      deps.authenticate(sid).then((auth) => {
        if (aborted.value) return;
        if (!auth) { refuse('401 Unauthorized', ErrorCode.Unauthorized, 'session expired or agent disabled'); return; }
        upgradeAfterAwait<AgentData>(res, {
          companyId: auth.companyId, agentId: auth.agentId, name: auth.name, permissions: auth.permissions,
          isAdmin: auth.role === 'admin', sessionId: auth.sessionId, closed: false, errors: new ErrorBudget(), activityAt: 0, replyTopic: null,
        }, headers['sec-websocket-key'] ?? '', headers['sec-websocket-protocol'] ?? '', headers['sec-websocket-extensions'] ?? '', context);
      }).catch((err) => {
        deps.logger.error({ err }, 'agent upgrade failed');
        if (!aborted.value) refuse('503 Service Unavailable', ErrorCode.Unavailable, 'try again shortly');
      });
    },
    open: (ws) => {
      const d = ws.getUserData();
      ws.subscribe(topics.agent(d.companyId, d.agentId));
      if (d.permissions.includes('accept_chats')) ws.subscribe(topics.queue(d.companyId));
      ws.subscribe(topics.visitorFeed(d.companyId));
      deps.chat.company(d.companyId).then((c) => agents.agentOpened(c, d)).catch((err) => deps.logger.error({ err }, 'agent open failed'));
      deps.sockets.add(ws);
      const mine = open.get(d.companyId) ?? new Set();
      open.set(d.companyId, mine.add(ws));
      deps.metrics.agentSockets.inc();
    },
    message: (ws, raw) => {
      const d = ws.getUserData();
      if (raw.byteLength > MAX_FRAME_BYTES) {
        sendAgent(ws, errorFrame(ErrorCode.TooLarge, `frame over ${MAX_FRAME_BYTES} bytes`));
        return;
      }
      const decoded = decodeAgentFrame(raw);
      if (!decoded.ok) {
        sendAgent(ws, decoded.error);
        if (d.errors.spend()) ws.end(CloseCode.TooManyErrors, 'too many bad frames');
        return;
      }
      handle(ws, decoded.frame, deps, reply).catch((err) => {
        const frame = errorFrameFor(err, decoded.frame.ref);
        if (frame.code === ErrorCode.Internal) deps.logger.error({ err, type: decoded.frame.type }, 'agent frame failed');
        sendAgent(ws, frame);
      });
    },
    close: (ws) => {
      const d = ws.getUserData();
      d.closed = true;
      deps.sockets.delete(ws);
      const mine = open.get(d.companyId);
      if (mine?.delete(ws) && mine.size === 0) open.delete(d.companyId);
      deps.chat.company(d.companyId).then((c) => agents.agentClosed(c, d), () => {});
      deps.metrics.agentSockets.dec();
    },
  });
}

async function handle(ws: WebSocket<AgentData>, f: AgentIn, deps: AgentSocketDeps, reply: Reply): Promise<void> {
  const who = ws.getUserData();
  const c = await deps.chat.company(who.companyId);
  await agents.whenOpened(c, who.agentId);
  const ref = f.ref ? { ref: f.ref } : {};
  // Any frame but ping is activity: it resets the auto-away timer.
  if (f.type !== 'ping') {
    const now = Date.now();
    if (now - who.activityAt >= ACTIVITY_EVERY_MS) { who.activityAt = now; agents.agentActivity(c, who); }
  }
  switch (f.type) {
    case 'agent.hello': {
      sendAgent(ws, { v: 1, type: 'agent.ready', companyId: who.companyId, ...agents.ready(c, who) });
      for (const r of f.resume ?? []) {
        const messages = await agents.history(c, r.conversationId, r.lastSeq);
        for (const message of messages) sendAgent(ws, { v: 1, type: 'message.created', message });
      }
      return;
    }
    case 'agent.status.set':
      agents.setStatus(c, who, f.status);
      return;
    case 'agent.activity':
      return;
    case 'conversation.accept':
      agents.accept(c, who, f.conversationId);
      return;
    case 'conversation.decline':
      agents.decline(c, who, f.conversationId);
      return;
    case 'message.send': {
      const ack = await agents.agentMessage(c, who, f.conversationId, f.clientMsgId, f.text);
      deps.metrics.messages.inc({ sender: 'agent' });
      reply(ws, { v: 1, type: 'message.ack', ...ref, ...ack } satisfies AgentOut);
      return;
    }
    case 'typing':
      agents.agentTyping(c, who, f.conversationId);
      return;
    case 'conversation.end':
      agents.agentEnd(c, who, f.conversationId);
      return;
    case 'conversation.history': {
      const [messages, whispers] = await Promise.all([
        agents.history(c, f.conversationId, f.afterSeq ?? 0), agents.whispersFor(c, who, f.conversationId),
      ]);
      // Whispers live apart from messages and come first, so the history frame closes the answer.
      for (const whisper of whispers) sendAgent(ws, { v: 1, type: 'whisper.created', whisper });
      sendAgent(ws, { v: 1, type: 'conversation.history', ...ref, conversationId: f.conversationId, messages });
      return;
    }
    case 'agents.list':
      sendAgent(ws, { v: 1, type: 'agents.list', ...ref, agents: agents.agentsList(c, who) });
      return;
    case 'transfer.request':
      agents.transferRequest(c, who, f.conversationId, f.toAgentId);
      return;
    case 'transfer.respond':
      agents.transferRespond(c, who, f.conversationId, f.accept, f.includeHistory ?? false);
      return;
    case 'monitor.start':
    case 'monitor.stop':
      agents.monitor(c, who, f.agentId, f.type === 'monitor.start');
      return;
    case 'conversation.takeover':
      agents.takeover(c, who, f.conversationId);
      return;
    case 'whisper.send': {
      const whisper = await agents.whisper(c, who, f.conversationId, f.clientMsgId, f.text);
      sendAgent(ws, { v: 1, type: 'whisper.created', ...ref, whisper });
      return;
    }
    case 'visitor.invite':
      agents.invite(c, who, f.visitorId, f.kind, f.greeting ?? '');
      return;
    case 'ping':
      sendAgent(ws, { v: 1, type: 'pong' });
      return;
    case 'file.send':
      sendAgent(ws, { v: 1, type: 'message.ack', ...ref, ...(await deps.extras.agentFile(c, who.agentId, f.conversationId, f.clientMsgId, f.fileKey)) });
      return;
    case 'file.decline':
      await deps.extras.declineFile(c, who.agentId, f.conversationId, f.fileKey);
      sendAgent(ws, { v: 1, type: 'extras.ok', ...ref, conversationId: f.conversationId });
      return;
    case 'rating.push':
      deps.extras.pushRating(c, who.agentId, f.conversationId);
      sendAgent(ws, { v: 1, type: 'extras.ok', ...ref, conversationId: f.conversationId });
      return;
    case 'form.push':
      await deps.extras.pushForm(c, who.agentId, f.conversationId);
      sendAgent(ws, { v: 1, type: 'extras.ok', ...ref, conversationId: f.conversationId });
      return;
  }
}
