// Serves the built console (admin/dist), the widget (widget/dist) and the /demo
// page from memory, with gzip variants prepared once at start-up.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { HttpResponse as UwsResponse } from 'uWebSockets.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg', '.wav': 'audio/wav', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.map', '.txt']);

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  cacheControl: string;
  headers: Record<string, string>;
}

export function makeFile(body: Buffer, ext: string, cacheControl: string, headers: Record<string, string> = {}): StaticFile {
  return {
    body,
    gzip: COMPRESSIBLE.has(ext) && body.length > 512 ? zlib.gzipSync(body, { level: 9 }) : null,
    type: TYPES[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`,
    cacheControl,
    headers,
  };
}

/** Loads every file under `dir` keyed by URL path under `prefix`. */
export function loadDir(dir: string, prefix: string, cacheFor: (rel: string) => string, headers: (rel: string) => Record<string, string> = () => ({})): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!fs.existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) { walk(full); continue; }
      const rel = path.relative(dir, full).split(path.sep).join('/');
      files.set(prefix + rel, makeFile(fs.readFileSync(full), path.extname(entry.name), cacheFor(rel), headers(rel)));
    }
  };
  walk(dir);
  return files;
}

export function sendFile(res: UwsResponse, file: StaticFile, acceptEncoding: string, ifNoneMatch: string | undefined): void {
  res.cork(() => {
    if (ifNoneMatch === file.etag) {
      res.writeStatus('304 Not Modified').writeHeader('ETag', file.etag).end();
      return;
    }
    res.writeStatus('200 OK');
    res.writeHeader('Content-Type', file.type);
    res.writeHeader('Cache-Control', file.cacheControl);
    res.writeHeader('ETag', file.etag);
    res.writeHeader('X-Content-Type-Options', 'nosniff');
    res.writeHeader('Vary', 'Accept-Encoding');
    for (const [k, v] of Object.entries(file.headers)) res.writeHeader(k, v);
    if (file.gzip && acceptEncoding.includes('gzip')) {
      res.writeHeader('Content-Encoding', 'gzip');
      res.end(file.gzip);
    } else {
      res.end(file.body);
    }
  });
}
