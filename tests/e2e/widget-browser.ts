// Helpers for the widget e2e tests: a host site with a strict CSP, a static widget
// origin, the two viewports, and the real server with the demo admin online and
// Chromium (the browser itself comes from tests/helpers/browser.ts).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { buildWidget, DIST } from '../../widget/build.mjs';
import { launchBrowser } from '../helpers/browser.js';
import { login, openAgent, type AgentClient, type Login } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

export { launchBrowser };

export interface Site { url: string; server: http.Server; close(): Promise<void> }

export async function serve(handler: http.RequestListener): Promise<Site> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** A customer site whose CSP allows only itself and the widget origin; no inline anything. */
export function hostSite(widgetOrigin: string, snippetAttrs: (pathname: string) => string): Promise<Site> {
  return serve((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/favicon.ico') { res.writeHead(204).end(); return; }
    const csp = [
      "default-src 'self'", `script-src ${widgetOrigin}`, `frame-src ${widgetOrigin}`, `connect-src 'self' ${widgetOrigin}`,
      "style-src 'self'", "img-src 'self'", "object-src 'none'", "base-uri 'none'",
    ].join('; ');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host shop</title></head><body>
<h1>Host shop</h1><p>Text <span id="slot"></span></p>
<script async src="${widgetOrigin}/widget/loader.js" ${snippetAttrs(pathname)}></script>
</body></html>`);
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8' };

/** Serves widget/dist at /widget/* with a strict CSP on the window page; no WebSocket endpoint. */
export function widgetOnlyOrigin(onPost?: (url: string, body: string) => void): Promise<Site> {
  return serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        onPost?.(url.pathname, body);
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"no"}}');
      });
      return;
    }
    const file = path.join(DIST, url.pathname.replace(/^\/widget\//, ''));
    if (!url.pathname.startsWith('/widget/') || !file.startsWith(DIST) || !fs.existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': "default-src 'self'; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'",
    });
    res.end(fs.readFileSync(file));
  });
}

/** The two layouts the widget tests cover: desktop, and a phone (touch, mobile viewport). */
export const VIEWPORTS: Array<{ name: 'desktop' | 'phone'; options: BrowserContextOptions }> = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
];

export interface WidgetWorld {
  server: TestServer;
  /** the demo company's admin session */
  admin: Login;
  /** the admin's agent socket, after agent.ready (online) unless `agentOnline: false` */
  agent: AgentClient | null;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The real server (widget built first: it loads widget/dist when it starts; X-Forwarded-For
 * trusted from 127.0.0.1), the demo admin logged in (and online on an agent socket unless
 * `agentOnline: false`), and Chromium.
 */
export async function widgetWorld(opts: { agentOnline?: boolean } = {}): Promise<WidgetWorld> {
  await buildWidget();
  const server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  const demo = server.demo!;
  const admin = await login(server.url, demo.companyId, demo.agentId, demo.password);
  let agent: AgentClient | null = null;
  if (opts.agentOnline ?? true) {
    agent = await openAgent(server.url, admin);
    agent.send({ type: 'agent.hello' });
    await agent.waitFor('agent.ready');
  }
  const browser = await launchBrowser();
  return {
    server, admin, agent, browser,
    async close() {
      await browser.close();
      await agent?.close();
      await server.dispose();
    },
  };
}
