// Raw-body uploads (files are bytes; the JSON wrapper in http.ts cannot carry them).
// The CSRF token comes from /auth/me, as http.ts keeps its copy private.
import { me } from './auth';
import { ApiError } from './http';

export async function uploadRaw<T>(url: string, body: Blob): Promise<T> {
  const { csrfToken } = await me();
  const res = await fetch(url, {
    method: 'POST', body, credentials: 'same-origin',
    headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': csrfToken },
  });
  const json = (await res.json().catch(() => null)) as (T & { error?: { code: string; message: string } }) | null;
  if (!res.ok || !json) throw new ApiError(res.status, json?.error?.code ?? 'upload', json?.error?.message ?? `HTTP ${res.status}`);
  return json;
}
