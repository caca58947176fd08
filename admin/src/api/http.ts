// The one fetch wrapper: same-origin cookies, CSRF header on state-changing
// requests, and `{error:{code,message}}` bodies turned into typed ApiErrors so
// views can branch on `code` instead of parsing text.

/** A non-2xx answer (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** seconds, from Retry-After on 429 */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
/** Set after login / me; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 for an existing session (expired, revoked). */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** login/me answer 401 as a normal result; don't treat it as a lost session */
  quiet401?: boolean;
}

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      if (res.ok) throw new ApiError(res.status, 'bad_json', 'Response was not JSON');
    }
  }
  if (res.ok) return data as T;

  const err = readError(data);
  const retry = Number(res.headers.get('retry-after'));
  if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
  throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, Number.isFinite(retry) && retry > 0 ? retry : null);
}

function readError(data: unknown): { code: string; message: string } | null {
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const e = (data as { error: unknown }).error;
  if (typeof e !== 'object' || e === null) return null;
  const code = (e as { code?: unknown }).code;
  const message = (e as { message?: unknown }).message;
  return { code: typeof code === 'string' ? code : 'unknown', message: typeof message === 'string' ? message : '' };
}
