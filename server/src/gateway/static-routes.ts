// Static routes: the console SPA at /, the widget at /widget/, the demo site at /demo.
import fs from 'node:fs';
import path from 'node:path';
import type { TemplatedApp } from 'uWebSockets.js';
import { ErrorCode } from '../../../protocol/codes.js';
import type { AccountStore } from '../ports/account-store.js';
import { loadDir, makeFile, sendFile, type StaticFile } from './static-files.js';
import { readHeaders, writeResponse } from './http.js';

export interface StaticDeps {
  root: string;
  accounts: AccountStore;
  /** the seeded demo company's key, used when /demo has no ?key= */
  demoPublicKey: string | null;
}

const CONSOLE_HEADERS = {
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'same-origin',
};

export function registerStatic(app: TemplatedApp, deps: StaticDeps & { publicUrl: string }): void {
  // Hashed build assets never change; everything else is revalidated by ETag.
  const admin = loadDir(path.join(deps.root, 'admin/dist'), '/', (rel) => (rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'), () => CONSOLE_HEADERS);
  const widget = loadDir(path.join(deps.root, 'widget/dist'), '/widget/', () => 'public, max-age=300', () => ({ 'Access-Control-Allow-Origin': '*' }));
  const demoPath = path.join(deps.root, 'widget/demo.html');
  const demoTemplate = fs.existsSync(demoPath) ? fs.readFileSync(demoPath, 'utf8') : null;
  const index = admin.get('/index.html') ?? makeFile(Buffer.from(NOT_BUILT), '.html', 'no-cache');

  app.get('/widget/*', (res, req) => {
    const file = widget.get(req.getUrl());
    const enc = req.getHeader('accept-encoding');
    const inm = req.getHeader('if-none-match') || undefined;
    if (file) sendFile(res, file, enc, inm);
    else res.writeStatus('404 Not Found').writeHeader('Content-Type', 'application/json').end(JSON.stringify({ error: { code: ErrorCode.NotFound, message: 'no such widget file' } }));
  });

  app.get('/demo', (res, req) => {
    const aborted = { value: false };
    res.onAborted(() => { aborted.value = true; });
    const headers = readHeaders(req);
    const key = new URLSearchParams(req.getQuery() ?? '').get('key') ?? deps.demoPublicKey;
    const origin = `http://${headers.host ?? 'localhost'}`;
    if (!demoTemplate || !key || !/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
      res.cork(() => writeResponse(res, { status: 404, raw: { contentType: 'text/html; charset=utf-8', data: '<p>No demo company: open /demo?key=&lt;company public key&gt;</p>' } }));
      return;
    }
    const html = demoTemplate.replaceAll('{{PUBLIC_KEY}}', key).replaceAll('{{ORIGIN}}', origin);
    if (!aborted.value) res.cork(() => writeResponse(res, { status: 200, raw: { contentType: 'text/html; charset=utf-8', data: html }, headers: { 'Cache-Control': 'no-cache' } }));
  });

  app.any('/api/*', (res) => {
    res.writeStatus('404 Not Found').writeHeader('Content-Type', 'application/json').end(JSON.stringify({ error: { code: ErrorCode.NotFound, message: 'no such API route' } }));
  });

  app.get('/*', (res, req) => {
    const url = req.getUrl();
    const enc = req.getHeader('accept-encoding');
    const inm = req.getHeader('if-none-match') || undefined;
    const file: StaticFile | undefined = admin.get(url === '/' ? '/index.html' : url);
    // SPA: any path without a file extension is a console route.
    if (file) sendFile(res, file, enc, inm);
    else if (!path.extname(url)) sendFile(res, index, enc, inm);
    else res.writeStatus('404 Not Found').end('not found');
  });
}

const NOT_BUILT = '<!doctype html><meta charset="utf-8"><title>Switchboard</title><p>The console is not built yet: run <code>npm run build</code> (npm start does this for you).</p>';
