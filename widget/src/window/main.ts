// The chat window page (iframe on our origin). Wires the socket, the session and
// the view together, and keeps the embedding loader informed of state / unread /
// open-close through postMessage pinned to the host page's origin.
import { originOf, parseHostToWindow, type IconState, type WindowToHost } from '../shared/bridge.js';
import { pickLang } from '../shared/lang.js';
import { ChatView, type ChatModel } from './chat-view.js';
import { Connection, type ConnState, type SocketLike } from './connection.js';
import { translator } from './i18n.js';
import { createOfflineForm } from './offline-form.js';
import { Session, type KV } from './session.js';

function storage(): KV {
  try {
    const ls = window.localStorage;
    const probe = '__sb';
    ls.setItem(probe, '1');
    ls.removeItem(probe);
    return { get: (k) => ls.getItem(k), set: (k, v) => ls.setItem(k, v), remove: (k) => ls.removeItem(k) };
  } catch {
    const m = new Map<string, string>();
    return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), remove: (k) => void m.delete(k) };
  }
}

function newId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  let s = 'c';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

function start(): void {
  const q = new URLSearchParams(location.search);
  const key = q.get('key') || '';
  const vid = q.get('vid') || '';
  const host = q.get('host') || '';
  const lang = pickLang(q.get('lang'), navigator.languages || [navigator.language]);
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = t('title');

  // Embedded: talk to the host page only. Opened on its own (phone "new tab" mode): no parent.
  const hostOrigin = window.parent !== window ? originOf(host) : null;
  const toHost = (msg: WindowToHost) => {
    if (hostOrigin) window.parent.postMessage(msg, hostOrigin);
  };

  let isOpen = !hostOrigin;
  let everOpened = isOpen;
  let unread = 0;
  let mode: 'chat' | 'form' = 'chat';
  /** true while the form shows because nobody is online, not because the visitor chose it */
  let formForced = false;
  let conn: ConnState = 'connecting';
  let connFailedFirst = false;
  let notice: string | null = null;
  let noticeTimer: ReturnType<typeof setTimeout> | null = null;
  let reported: IconState | null = null;

  const session = new Session({
    send: (f) => connection.send(f),
    hello: () => ({
      v: 1, type: 'visitor.hello', lang,
      page: { url: host.slice(0, 2048) || location.href, title: (q.get('title') || '').slice(0, 512), referrer: (q.get('ref') || '').slice(0, 2048) },
    }),
    newId,
    now: () => Date.now(),
    store: storage(),
    storeKey: `sb.conv.${key}.${vid}`,
    groupId: q.get('group') || undefined,
    onChange: () => update(),
    onAssigned: (agent) => {
      const now = Date.now();
      session.log.addNote('system', t('assigned', { name: agent.name }), now);
      session.log.addNote('agent', t('welcome'), now, agent.name);
    },
    onAgentMessage: () => {
      if (isOpen) return;
      unread++;
      toHost({ sb: 1, type: 'unread', count: unread });
      // An agent-initiated chat (D7 active chat) pops the window once.
      if (!everOpened) toHost({ sb: 1, type: 'open' });
    },
  });

  const iconState = (): IconState | null => {
    if (conn === 'open') return session.view.widget;
    // Never reached the server: tell the visitor we are offline (leave a message).
    if (connFailedFirst || conn === 'stopped') return 'offline';
    return reported;
  };

  const form = createOfflineForm({
    t, key, visitorId: vid, page: host, lang,
    reason: () => (iconState() === 'busy' ? 'busy' : 'offline'),
    onBack: () => { mode = 'chat'; update(); view.focus(); },
  });

  const view = new ChatView(t, lang, {
    send: (text) => { session.sendText(text); },
    draft: (text) => session.setDraft(text),
    end: () => session.endChat(),
    newChat: () => session.startNew(),
    minimise: () => { isOpen = false; toHost({ sb: 1, type: 'close' }); },
    leaveMessage: () => { mode = 'form'; formForced = false; update(); },
  }, form.el);
  document.getElementById('app')!.appendChild(view.root);

  function update(): void {
    const v = session.view;
    const state = iconState();
    if (state && state !== reported) {
      reported = state;
      toHost({ sb: 1, type: 'state', state });
    }
    if (v.error === 'rate_limited' || v.error === 'not_allowed_now') {
      notice = t(v.error === 'rate_limited' ? 'rateLimited' : 'error');
      v.error = null;
      if (noticeTimer) clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => { notice = null; update(); }, 5000);
    }
    // Nobody to chat with and no chat going on: the form is the whole window.
    const formOnly = state === 'offline' && v.phase === 'idle' && session.log.size === 0;
    if (formOnly) {
      mode = 'form';
      formForced = true;
    } else if (formForced) {
      // The form was shown only because nobody was online: an agent came, so chat.
      mode = 'chat';
      formForced = false;
    }
    form.setCanGoBack(!formOnly);
    const model: ChatModel = {
      state, conn, phase: v.phase, position: v.position, agentName: v.agent?.name ?? null, agentTyping: v.agentTyping,
      entries: session.log.entries(), notice, mode, canMinimise: !!hostOrigin,
    };
    view.render(model);
  }

  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/visitor?key=${encodeURIComponent(key)}&vid=${encodeURIComponent(vid)}`;
  const connection = new Connection({
    url: wsUrl,
    // The DOM WebSocket is a SocketLike; its handler types are just stricter.
    factory: (url) => new WebSocket(url) as unknown as SocketLike,
    onOpen: () => session.handleOpen(),
    onFrame: (f) => session.handleFrame(f),
    onState: (s, failures) => {
      conn = s;
      if (s === 'open') connFailedFirst = false;
      else if (failures > 0 && reported === null) connFailedFirst = true;
      update();
    },
  });

  window.addEventListener('message', (ev) => {
    if (!hostOrigin || ev.origin !== hostOrigin || ev.source !== window.parent) return;
    const msg = parseHostToWindow(ev.data);
    if (!msg) return;
    if (msg.type === 'open') {
      isOpen = everOpened = true;
      unread = 0;
      toHost({ sb: 1, type: 'unread', count: 0 });
      if (msg.mode === 'message') { mode = 'form'; formForced = false; }
      connection.retryNow();
      update();
      view.focus();
    } else {
      isOpen = false;
    }
  });
  window.addEventListener('online', () => connection.retryNow());

  update();
  connection.start();
}

try {
  start();
} catch (e) {
  // Show something rather than a blank window; details stay in the console.
  const app = document.getElementById('app');
  if (app) app.textContent = 'The chat could not start.';
  throw e;
}
