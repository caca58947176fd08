// I1 page tracking from the host page: one beacon per page view and one when the
// page goes away (closed, or left for the next page), to
// POST <origin>/api/v1/widget/track?key=… as text/plain JSON — a CORS "simple"
// request, so no preflight, and sendBeacon survives the page unloading.
// A bfcache restore counts as a new view. Single-page apps: history.pushState /
// replaceState (wrapped, the host's call and its result untouched) and popstate
// count as views when the URL changed, the previous URL as referrer; changes
// within SETTLE_MS are one view (a redirect, a title set after render). Never throws.

interface Settings { memberToken?: unknown }
declare global {
  interface Window { switchboardSettings?: Settings }
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
const SETTLE_MS = 300;

export function startTracking(origin: string, key: string, vid: string): void {
  const url = `${origin}/api/v1/widget/track?key=${encodeURIComponent(key)}`;
  const send = (body: Record<string, string>) => {
    try {
      const data = JSON.stringify({ vid, ...body });
      const nav = navigator as Navigator & { sendBeacon?: (u: string, d: string) => boolean };
      if (nav.sendBeacon && nav.sendBeacon(url, data)) return;
      void fetch(url, { method: 'POST', body: data, keepalive: true, mode: 'no-cors', credentials: 'omit' }).catch(() => {});
    } catch { /* tracking must never break the page */ }
  };
  const view = (ref?: string) => {
    const s = window.screen;
    const mt = window.switchboardSettings && window.switchboardSettings.memberToken;
    send({
      type: 'view', url: clip(location.href, 2048), title: clip(document.title || '', 512), ref: clip(ref === undefined ? document.referrer || '' : ref, 2048),
      screen: s ? `${s.width}x${s.height}` : '', lang: navigator.language || '', ...(typeof mt === 'string' && mt ? { mt: clip(mt, 4096) } : {}),
    });
  };
  let last = location.href;
  let from = '';
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  const flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    timer = 0;
    view(from);
  };
  const changed = () => {
    try {
      const href = location.href;
      if (href === last) return;
      if (!timer) from = last;
      last = href;
      clearTimeout(timer);
      timer = setTimeout(flush, SETTLE_MS);
    } catch { /* never break the page */ }
  };
  const wrap = (name: 'pushState' | 'replaceState') => {
    try {
      const h = window.history;
      const orig = h[name];
      if (typeof orig !== 'function') return;
      h[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const r = orig.apply(this, args);
        changed();
        return r;
      };
    } catch { /* a frozen history: no SPA views */ }
  };
  view();
  wrap('pushState');
  wrap('replaceState');
  window.addEventListener('popstate', changed);
  window.addEventListener('pagehide', () => {
    flush();
    send({ type: 'leave' });
  });
  window.addEventListener('pageshow', (ev) => {
    if ((ev as PageTransitionEvent).persisted) {
      last = location.href;
      view();
    }
  });
}
