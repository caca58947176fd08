// The first-party visitor id lives in the host page's own storage (localStorage,
// else a cookie), so it survives third-party storage partitioning of our iframe.
const KEY = 'sb_vid';
const VALID = /^[A-Za-z0-9_-]{8,64}$/;

function fresh(): string {
  const bytes = new Uint8Array(16);
  const c = (window as { crypto?: Crypto }).crypto;
  if (c && c.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let s = 'v';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! & 0xff).toString(36).padStart(2, '0');
  return s;
}

function readCookie(): string | null {
  const m = /(?:^|;\s*)sb_vid=([^;]+)/.exec(document.cookie || '');
  return m ? decodeURIComponent(m[1]!) : null;
}

export function visitorId(): string {
  let ls: Storage | null = null;
  try {
    ls = window.localStorage;
    const v = ls.getItem(KEY);
    if (v && VALID.test(v)) return v;
  } catch {
    ls = null;
  }
  let v: string | null = null;
  try { v = readCookie(); } catch { /* cookies disabled */ }
  if (!v || !VALID.test(v)) v = fresh();
  try {
    if (ls) ls.setItem(KEY, v);
  } catch { /* quota or private mode */ }
  try {
    document.cookie = `${KEY}=${v}; max-age=31536000; path=/; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
  } catch { /* sandboxed */ }
  return v;
}
