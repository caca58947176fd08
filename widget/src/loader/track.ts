// I1 page tracking from the host page: one beacon per page view and one when the
// page goes away (closed, or left for the next page), to
// POST <origin>/api/v1/widget/track?key=… as text/plain JSON — a CORS "simple"
// request, so no preflight, and sendBeacon survives the page unloading.
// A bfcache restore counts as a new view. Never throws.

interface Settings { memberToken?: unknown }
declare global {
  interface Window { switchboardSettings?: Settings }
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

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
  const view = () => {
    const s = window.screen;
    const mt = window.switchboardSettings && window.switchboardSettings.memberToken;
    send({
      type: 'view', url: clip(location.href, 2048), title: clip(document.title || '', 512), ref: clip(document.referrer || '', 2048),
      screen: s ? `${s.width}x${s.height}` : '', lang: navigator.language || '', ...(typeof mt === 'string' && mt ? { mt: clip(mt, 4096) } : {}),
    });
  };
  view();
  window.addEventListener('pagehide', () => send({ type: 'leave' }));
  window.addEventListener('pageshow', (ev) => { if ((ev as PageTransitionEvent).persisted) view(); });
}
