// The embed script (J1). Plain TS, no framework, one global (`window.Switchboard`).
// It never throws into the host page, injects no inline script or <style>, keeps the
// visitor id first-party, and talks to the chat window iframe only by postMessage
// checked against our origin in both directions.
import { originOf, parseWindowToHost, type HostToWindow, type IconState } from './shared/bridge.js';
import { ICON_LABELS } from './shared/icon-labels.js';
import { pickLang } from './shared/lang.js';
import { createFrame } from './loader/frame.js';
import { createIcon, ICON_KINDS, type IconKind, type IconShown } from './loader/icon.js';
import { visitorId } from './loader/visitor-id.js';
import { startTracking } from './loader/track.js';

interface Api {
  version: string;
  open(): void;
  close(): void;
  toggle(): void;
  readonly state: IconState | null;
}

declare global {
  interface Window { Switchboard?: Api; switchboardSettings?: { memberToken?: unknown } }
}

const OFFLINE_AFTER_MS = 10_000;
const EDGE_WAIT_MS = 3000;
const MOBILE = '(max-width: 600px)';

function findScript(): HTMLScriptElement | null {
  const cur = document.currentScript;
  if (cur instanceof HTMLScriptElement && cur.getAttribute('data-key')) return cur;
  const all = document.querySelectorAll<HTMLScriptElement>('script[data-key][src*="/widget/loader"]');
  return all.length ? all[all.length - 1]! : null;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

type EdgeIcon = 'normal' | 'offline' | 'hidden' | 'disabled';

/**
 * C3/C4 from GET /api/v1/widget/config: a blocked address sees the icon offline; outside
 * the service regions it is hidden or shown disabled (company setting). Whatever goes
 * wrong (no answer within EDGE_WAIT_MS, an old server, a CSP without our origin in
 * connect-src) means 'normal': the server still refuses chats it must refuse.
 */
function edgeIcon(origin: string, key: string): Promise<EdgeIcon> {
  return new Promise((resolve) => {
    setTimeout(() => resolve('normal'), EDGE_WAIT_MS);
    try {
      fetch(`${origin}/api/v1/widget/config?key=${encodeURIComponent(key)}`, { credentials: 'omit' })
        .then((r) => (r.ok ? r.json() : null))
        .then((c: { edge?: { icon?: unknown } } | null) => {
          const i = c && c.edge && c.edge.icon;
          resolve(i === 'offline' || i === 'hidden' || i === 'disabled' ? i : 'normal');
        })
        .catch(() => resolve('normal'));
    } catch {
      resolve('normal');
    }
  });
}

function boot(script: HTMLScriptElement): void {
  const origin = originOf(script.src);
  const key = script.getAttribute('data-key');
  if (!origin || !key) return;
  const attr = (n: string) => script.getAttribute(`data-${n}`) || '';
  const kindAttr = attr('icon') as IconKind;
  const kind: IconKind = ICON_KINDS.indexOf(kindAttr) >= 0 ? kindAttr : 'floating';
  const lang = pickLang(attr('lang'), navigator.languages || [navigator.language]);
  const labels = ICON_LABELS[lang];

  const vid = visitorId();
  startTracking(origin, key, vid);

  let state: IconShown | null = null;
  let setOpen: ((next: boolean) => void) | null = null;
  let open = false;
  const guarded = (next: () => boolean) => () => { try { if (setOpen) setOpen(next()); } catch { /* ignore */ } };
  window.Switchboard = {
    version: '1',
    open: guarded(() => true),
    close: guarded(() => false),
    toggle: guarded(() => !open),
    get state() { return state === 'na' ? 'offline' : state; },
  };

  const show = (edge: EdgeIcon) => {
    if (edge === 'hidden') {
      state = 'offline';
      return;
    }
    const disabled = edge === 'disabled';
    if (disabled) state = 'na';
    else if (edge === 'offline') state = 'offline';
    const q = new URLSearchParams({ key, vid, lang, icon: kind, host: clip(location.href, 2048) });
    if (attr('group')) q.set('group', attr('group'));
    if (attr('agent')) q.set('agent', attr('agent'));
    if (document.title) q.set('title', clip(document.title, 512));
    if (document.referrer) q.set('ref', clip(document.referrer, 2048));
    // L1: only a flag goes in the URL (the window waits for the token); the token follows by postMessage.
    const settings = window.switchboardSettings;
    const memberToken = settings && typeof settings.memberToken === 'string' ? clip(settings.memberToken, 4096) : '';
    if (memberToken) q.set('m', '1');

    /** D7: open only as the small invitation card */
    let card = false;
    let unread = 0;
    const mq = window.matchMedia ? window.matchMedia(MOBILE) : null;
    const mobile = () => (mq ? mq.matches : window.innerWidth < 600);

    // Disabled (C4): no chat window, so no socket either.
    const frame = disabled ? null : createFrame(`${origin}/widget/window.html?${q.toString()}`, labels.online);
    const post = (msg: HostToWindow) => {
      const w = frame && frame.el.contentWindow;
      if (w) w.postMessage(msg, origin);
    };
    if (frame && memberToken) frame.el.addEventListener('load', () => post({ sb: 1, type: 'member', token: memberToken }));
    const render = () => {
      icon.update(state, open, unread, mobile());
      if (frame) frame.layout(open, mobile(), icon.corner, card);
    };
    const change = (next: boolean, mode?: 'chat' | 'message', asCard = false) => {
      if (!frame || (next === open && !mode && asCard === card)) return;
      const was = open;
      open = next;
      card = next && asCard;
      if (was && open && !mode) return render();
      if (open) unread = 0;
      post(open ? { sb: 1, type: 'open', mode } : { sb: 1, type: 'close' });
      render();
    };
    setOpen = (next) => change(next);
    const icon = createIcon(kind, labels, () => change(!open, kind === 'email' && !open ? 'message' : undefined));

    if (frame) {
      window.addEventListener('message', (ev) => {
        try {
          if (ev.origin !== origin || ev.source !== frame.el.contentWindow) return;
          const msg = parseWindowToHost(ev.data);
          if (!msg) return;
          if (msg.type === 'state') state = msg.state;
          else if (msg.type === 'unread') unread = open ? 0 : msg.count;
          else if (msg.type === 'open') return change(true, undefined, !!msg.card);
          else if (msg.type === 'close') return change(false);
          render();
        } catch { /* never break the host page */ }
      });
      // If the window never reports (our server unreachable), say offline rather than nothing.
      setTimeout(() => {
        if (state === null) {
          state = 'offline';
          render();
        }
      }, OFFLINE_AFTER_MS);
      // Any host element marked data-switchboard="open" opens the chat (no inline script needed).
      document.addEventListener('click', (ev) => {
        const t = ev.target as Element | null;
        const el = t && t.closest ? t.closest('[data-switchboard="open"]') : null;
        if (!el) return;
        ev.preventDefault();
        change(true);
      });
    }
    if (mq && mq.addEventListener) mq.addEventListener('change', render);
    else window.addEventListener('resize', render);

    const mount = () => {
      // A text link sits where the snippet is; everything else floats over the page.
      if (kind === 'text' && script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(icon.el, script.nextSibling);
      else document.body.appendChild(icon.el);
      if (frame) document.body.appendChild(frame.el);
      render();
    };
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount);
  };
  void edgeIcon(origin, key).then((edge) => {
    try { show(edge); } catch { /* the widget must never break the page that embeds it */ }
  });
}

try {
  if (!window.Switchboard) {
    const script = findScript();
    if (script) boot(script);
  }
} catch {
  /* the widget must never break the page that embeds it */
}
