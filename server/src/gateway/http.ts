// Adapts uWS requests to plain `Route` handlers (server/src/http/types.ts): reads
// the body, parses JSON, resolves the session cookie, enforces CSRF, maps thrown
// AppErrors to 4xx JSON. uWS rule: read everything from `req` before any await.
import type { HttpRequest as UwsRequest, HttpResponse as UwsResponse, TemplatedApp } from 'uWebSockets.js';
import { ErrorCode } from '../../../protocol/codes.js';
import { AppError } from '../ports/errors.js';
import { errorBody, type AuthContext, type HttpRequest, type HttpResponse, type Route } from '../http/types.js';
import type { Logger } from '../logger.js';

const MAX_BODY_BYTES = 256 * 1024;
const STATUS_TEXT: Record<number, string> = {
  200: '200 OK', 201: '201 Created', 204: '204 No Content', 301: '301 Moved Permanently', 302: '302 Found', 304: '304 Not Modified',
  400: '400 Bad Request', 401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 Not Found', 405: '405 Method Not Allowed',
  409: '409 Conflict', 410: '410 Gone', 413: '413 Payload Too Large', 415: '415 Unsupported Media Type', 422: '422 Unprocessable Entity',
  429: '429 Too Many Requests', 500: '500 Internal Server Error', 503: '503 Service Unavailable',
};
export const statusLine = (status: number) => STATUS_TEXT[status] ?? `${status} Status`;

export interface HttpDeps {
  logger: Logger;
  /** resolves a session id from the cookie into an auth context, or null */
  authenticate(sessionId: string): Promise<AuthContext | null>;
  /** client IP from the socket address and headers (trusted-proxy rule) */
  clientIp(remoteAddr: string, headers: Record<string, string>): string;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    try { out[k] = decodeURIComponent(v); } catch { out[k] = v; }
  }
  return out;
}

export function readHeaders(req: UwsRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  req.forEach((k, v) => { headers[k] = v; });
  return headers;
}

export function remoteAddress(res: UwsResponse): string {
  const addr = Buffer.from(res.getRemoteAddressAsText()).toString();
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr === '0000:0000:0000:0000:0000:0000:0000:0001' ? '::1' : addr;
}

/** Writes a response; must run inside res.cork() when called after an await. */
export function writeResponse(res: UwsResponse, out: HttpResponse): void {
  res.writeStatus(statusLine(out.status));
  res.writeHeader('X-Content-Type-Options', 'nosniff');
  for (const [k, v] of Object.entries(out.headers ?? {})) res.writeHeader(k, v);
  for (const c of out.cookies ?? []) res.writeHeader('Set-Cookie', c);
  if (out.raw) {
    res.writeHeader('Content-Type', out.raw.contentType);
    res.end(out.raw.data);
  } else if (out.body === undefined) {
    res.end();
  } else {
    res.writeHeader('Content-Type', 'application/json; charset=utf-8');
    res.writeHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(out.body));
  }
}

function readBody(res: UwsResponse, maxBytes: number, onDone: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  res.onData((chunk, isLast) => {
    if (tooLarge) return;
    size += chunk.byteLength;
    if (size > maxBytes) { tooLarge = true; onDone(null); return; }
    chunks.push(Buffer.from(chunk.slice(0))); // uWS reuses the chunk's memory
    if (isLast) onDone(Buffer.concat(chunks));
  });
}

const paramNames = (pattern: string) => pattern.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1));

export function registerRoutes(app: TemplatedApp, routes: Route[], deps: HttpDeps): void {
  for (const route of routes) {
    const names = paramNames(route.path);
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'del';
    const register = (method === ('delete' as string) ? app.del : app[method]).bind(app);
    register(route.path, (res, req) => {
      const aborted = { value: false };
      res.onAborted(() => { aborted.value = true; });
      const headers = readHeaders(req);
      const params: Record<string, string> = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(req.getParameter(i) ?? ''); });
      const base = {
        method: route.method,
        path: req.getUrl(),
        params,
        query: new URLSearchParams(req.getQuery() ?? ''),
        headers,
        cookies: parseCookies(headers.cookie),
        ip: deps.clientIp(remoteAddress(res), headers),
      };
      const finish = (out: HttpResponse) => {
        if (!aborted.value) res.cork(() => writeResponse(res, out));
      };
      const run = (body: unknown, rawBody?: Buffer) => {
        handle(route, { ...base, body, auth: null, ...(rawBody ? { rawBody } : {}) }, deps).then(finish, (err) => {
          deps.logger.error({ err, path: base.path }, 'unhandled error in route');
          finish({ status: 500, body: errorBody(ErrorCode.Internal, 'internal error') });
        });
      };
      if (route.method === 'GET' || route.method === 'DELETE') { run(undefined); return; }
      const maxBytes = route.maxBodyBytes ?? MAX_BODY_BYTES;
      const tooLarge = () => finish({ status: 413, body: errorBody(ErrorCode.TooLarge, `body over ${maxBytes} bytes`) });
      // Raw routes take large bodies: refuse a declared oversize at once instead of reading it.
      if (route.body === 'raw' && Number(headers['content-length'] ?? '0') > maxBytes) return tooLarge();
      readBody(res, maxBytes, (buf) => {
        if (buf === null) return tooLarge();
        if (route.body === 'raw') return run(undefined, buf);
        if (buf.length === 0) return run(undefined);
        if (!(headers['content-type'] ?? '').includes('application/json')) {
          return finish({ status: 415, body: errorBody(ErrorCode.BadRequest, 'send JSON with Content-Type: application/json') });
        }
        let parsed: unknown;
        try { parsed = JSON.parse(buf.toString('utf8')); } catch {
          return finish({ status: 400, body: errorBody(ErrorCode.BadJson, 'body is not valid JSON') });
        }
        run(parsed);
      });
    });
  }
}

async function handle(route: Route, req: HttpRequest, deps: HttpDeps): Promise<HttpResponse> {
  if (route.auth === 'session') {
    const sid = req.cookies.sb_session;
    const auth = sid ? await deps.authenticate(sid) : null;
    if (!auth) return { status: 401, body: errorBody(ErrorCode.Unauthorized, 'log in first') };
    if (route.method !== 'GET' && req.headers['x-csrf-token'] !== auth.csrfToken) {
      return { status: 403, body: errorBody(ErrorCode.CsrfFailed, 'missing or wrong x-csrf-token header') };
    }
    req.auth = auth;
  }
  try {
    return await route.handler(req);
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message) };
    throw err;
  }
}
