// Composition: config → adapters → runtime → gateway. Used by main.ts and by the
// integration tests (port 0), so both boot exactly the same server.
import path from 'node:path';
import fs from 'node:fs';
import uWS from 'uWebSockets.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openStores, type Stores } from './runtime/stores.js';
import { openAnalytics, type Analytics } from './runtime/analytics.js';
import { ChatRuntime } from './runtime/chat-runtime.js';
import { topics } from './runtime/fanout.js';
import { sessionAuthenticator } from './runtime/authenticate.js';
import { seedDemoCompany, type DemoSeed } from './runtime/seed.js';
import { registerRoutes } from './gateway/http.js';
import { registerVisitorSocket } from './gateway/visitor-socket.js';
import { registerAgentSocket } from './gateway/agent-socket.js';
import { uwsFanout } from './gateway/uws-fanout.js';
import { registerStatic } from './gateway/static-routes.js';
import { createMetrics } from './gateway/metrics.js';
import { isSameOrigin } from './gateway/origin.js';
import { clientIp } from './domain/edge/client-ip.js';
import { authRoutes } from './http/auth-routes.js';
import { conversationRoutes } from './http/conversation-routes.js';
import { healthRoutes } from './http/health-routes.js';
import { reportRoutes } from './http/report-routes.js';
import { fileRoutes } from './http/file-routes.js';
import { commonFileRoutes } from './http/common-file-routes.js';
import { offlineMessageRoutes } from './http/offline-message-routes.js';
import { edgeRoutes } from './http/edge-routes.js';
import { routingSettingsRoutes } from './http/routing-settings-routes.js';
import { consoleToolRoutes } from './http/console-tool-routes.js';
import { collabRoutes } from './http/collab-routes.js';
import { EdgeGuard } from './runtime/edge-guard.js';
import { createGeoLookup } from './domain/tracking/geo.js';
import { createUaParser } from './domain/tracking/user-agent.js';
import { VisitorTracker } from './runtime/tracking/visitor-tracker.js';
import { trackingRoutes } from './http/tracking-routes.js';
import { createBeaconLimiter } from './runtime/tracking/beacon-limit.js';
import { widgetExtrasRoutes } from './http/widget-extras-routes.js';
import { ChatExtras } from './runtime/chat-extras/chat-extras.js';
import { registerEcho } from './gateway/echo.js';
import { SocketRegistry } from './gateway/socket-common.js';
import { CloseCode } from '../../protocol/codes.js';

export interface RunningServer {
  port: number;
  url: string;
  stores: Stores;
  chat: ChatRuntime;
  /** C3/C4 decisions per visitor address (call at visitor upgrade and chat.request) */
  edge: EdgeGuard;
  /** I1/C1 visit tracking and the live visitor list */
  tracker: VisitorTracker;
  demo: DemoSeed | null;
  /** the ClickHouse side (reports, tests writing analytics rows): chDB allows one data dir per process */
  analytics: Analytics;
  close(): Promise<void>;
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const stores = await openStores(config, logger);
  let analytics: Analytics | null = null;
  try {
    analytics = await openAnalytics(config, logger);
    const demo = config.seedDemo ? await seedDemoCompany(stores.accounts, logger, config.dataDir) : null;

    const app = uWS.App();
    const fanout = uwsFanout(app);
    const chat = new ChatRuntime({
      conversations: stores.conversations, accounts: stores.accounts, fanout, logger, agentGraceMs: config.agentGraceMs, visitorGraceMs: config.visitorGraceMs,
    });
    const metrics = createMetrics(() => chat.open.queueLengthAll());
    const sockets = new SocketRegistry();
    const authenticate = sessionAuthenticator(stores.accounts);
    const ip = (remote: string, headers: Record<string, string>) => clientIp(remote, headers, config.trustedProxies);
    const geo = createGeoLookup();
    const edge = new EdgeGuard({ store: stores.edge, geo });
    const tracker = new VisitorTracker({
      store: stores.visitors, sink: analytics.sink, geo, ua: createUaParser(), logger,
      publish: fanout.toVisitorWatchers,
      isConnected: (c, v) => app.numSubscribers(topics.visitor(c, v)) > 0,
      hasWatchers: (c) => app.numSubscribers(topics.visitorFeed(c)) > 0,
      chatAgent: (c, v) => { const conv = chat.open.byVisitor(c, v); return conv ? conv.agentId : undefined; },
    });

    const extras = new ChatExtras({
      store: stores.extras, conversations: stores.conversations, accounts: stores.accounts, fileMeta: stores.fileMeta, files: stores.files,
      visitors: tracker, customers: stores.tools.customers, fanout, logger,
    });
    const collab = collabRoutes({
      stores: stores.collab, accounts: stores.accounts, files: stores.files, fileMeta: stores.fileMeta, logger,
      toAgent: fanout.toAgent, presence: (c, a) => chat.presence.status(c, a), agentsChanged: (c) => chat.agentsChanged(c),
    });
    registerRoutes(app, [
      ...reportRoutes({ clickhouse: analytics.client, accounts: stores.accounts, logger }),
      ...authRoutes({ accounts: stores.accounts, logger, config }),
      ...conversationRoutes({ store: stores.conversations }),
      ...fileRoutes({ accounts: stores.accounts, conversations: stores.conversations, files: stores.files, meta: stores.fileMeta }),
      ...commonFileRoutes({ accounts: stores.accounts, files: stores.files, meta: stores.fileMeta }),
      ...offlineMessageRoutes({ accounts: stores.accounts, store: stores.offlineMessages, guard: edge, geo, sink: analytics.sink }),
      ...edgeRoutes({ store: stores.edge, guard: edge }),
      ...routingSettingsRoutes({ accounts: stores.accounts, changed: (companyId) => chat.settingsChanged(companyId) }),
      ...trackingRoutes({
        accounts: stores.accounts, tracker, edge,
        limiter: createBeaconLimiter({ perIpPerMinute: config.trackLimitPerIp, perVisitorPerMinute: config.trackLimitPerVisitor }),
      }),
      ...widgetExtrasRoutes({ accounts: stores.accounts, extras }),
      ...consoleToolRoutes(stores.tools),
      ...collab.routes,
      ...healthRoutes({
        registry: metrics.registry,
        checks: [
          { name: 'postgres', check: async () => { await stores.ping(); return true; } },
          { name: 'clickhouse', check: () => analytics!.ping() },
        ],
      }),
    ], { logger, authenticate, clientIp: ip });
    registerVisitorSocket(app, { chat, extras, edge, accounts: stores.accounts, logger, metrics, sockets, clientIp: ip });
    registerAgentSocket(app, {
      chat, extras, logger, metrics, sockets, authenticate,
      isAllowedOrigin: (origin, host) => isSameOrigin(origin, host, config.publicUrl),
    });
    if (config.echoEndpoint) registerEcho(app);
    registerStatic(app, { root: ROOT, publicUrl: config.publicUrl, accounts: stores.accounts, demoPublicKey: demo?.publicKey ?? null });

    const listenSocket = await listen(app, config.host, config.port);
    const port = uWS.us_socket_local_port(listenSocket);
    // After listen: uWS cannot publish before its loop runs, and recovery pushes widget states.
    const recovered = await chat.recover();
    collab.scheduler.start();
    logger.info({ port, recovered, embeddedPostgres: stores.embedded, clickhouse: analytics.kind }, 'switchboard listening');

    let closed = false;
    return {
      port, url: `http://127.0.0.1:${port}`, stores, chat, edge, tracker, demo, analytics,
      async close() {
        if (closed) return;
        closed = true;
        uWS.us_listen_socket_close(listenSocket);
        sockets.closeAll(CloseCode.ServerShutdown, 'server restarting');
        await chat.close();
        await tracker.close();
        await analytics!.close();
        await collab.scheduler.close();
        await stores.close();
      },
    };
  } catch (err) {
    await analytics?.close().catch(() => {});
    await stores.close().catch(() => {});
    throw err;
  }
}

/** Listens, retrying briefly: a restarted process may find its port still held for a moment. */
async function listen(app: uWS.TemplatedApp, host: string, port: number): Promise<uWS.us_listen_socket> {
  for (let attempt = 0; ; attempt++) {
    const socket = await new Promise<uWS.us_listen_socket | false>((resolve) => app.listen(host, port, (s) => resolve(s)));
    if (socket) return socket;
    if (port === 0 || attempt >= 50) throw new Error(`cannot listen on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
