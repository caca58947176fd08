// The chat window page (iframe on our origin). Wires the socket, the session and
// the view together, and keeps the embedding loader informed of state / unread /
// open-close through postMessage pinned to the host page's origin.
import { originOf, parseHostToWindow, type IconState, type WindowToHost } from '../shared/bridge.js';
import { pickLang } from '../shared/lang.js';
import { ChatView, type ChatModel } from './chat-view.js';
import { Connection, type ConnState, type SocketLike } from './connection.js';
import { translator } from './i18n.js';
import { createOfflineForm } from './offline-form.js';
import { parseFieldSpecs } from './offline-validate.js';
import { Session, type KV } from './session.js';
import { extrasTranslator } from './extras-i18n.js';
import { formSheet, ratingSheet, type Sheet } from './extras-panels.js';
import { canCapture, captureScreen, fileApi } from './files.js';
import { inviteCard } from './invite.js';
import type { FormField } from '../../../protocol/schema-common.js';
import type { VisitorOut } from '../../../protocol/visitor-frames.js';

interface Prechat {
  enabled: boolean;
  welcome: string;
  fields: FormField[];
  questions: Array<{ id: string; label: string; groupId: string | null }>;
}

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
  const xt = extrasTranslator(lang);
  const files = fileApi(key, vid);
  let memberToken: string | null = null;
  let visitorName: string | null = null;
  let fileNote: string | null = null;
  let fileNoteTimer: ReturnType<typeof setTimeout> | null = null;
  let ratingOpen = false;
  let lastRated: number | null = null;
  let infoSheet: { fields: FormField[]; sheet: Sheet } | null = null;
  let prechat: Prechat | null = null;
  let prechatSheet: Sheet | null = null;
  let prechatDone = false;

  const session = new Session({
    send: (f) => connection.send(f),
    hello: () => ({
      v: 1, type: 'visitor.hello', lang,
      ...(memberToken ? { memberToken } : {}),
      ...(visitorName ? { name: visitorName.slice(0, 64) } : {}),
      page: { url: host.slice(0, 2048) || location.href, title: (q.get('title') || '').slice(0, 512), referrer: (q.get('ref') || '').slice(0, 2048) },
    }),
    newId,
    now: () => Date.now(),
    store: storage(),
    storeKey: `sb.conv.${key}.${vid}`,
    // An agent binding wins over a group: the request then goes to the socket's scope.
    groupId: (!q.get('agent') && q.get('group')) || undefined,
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
    t, key, visitorId: vid, page: host, referrer: q.get('ref') || '', lang,
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
    attach: (list) => { for (const f of list) sendBlob(f, f.name || 'file'); },
    capture: () => { captureScreen().then((b) => sendBlob(b, 'screenshot.png'), () => { /* the visitor cancelled */ }); },
    rate: () => { rating.reset(); ratingOpen = true; update(); },
  }, form.el, { t: xt, fileUrl: files.url, canCapture: canCapture() });

  const rating = ratingSheet(xt, (score, comment) => {
    if (!session.rate(score, comment)) rating.status(t('error'), 'err');
  }, () => { ratingOpen = false; session.view.ratingAsked = false; update(); });

  function noteFile(text: string | null, clearMs = 0): void {
    fileNote = text;
    if (fileNoteTimer) clearTimeout(fileNoteTimer);
    if (clearMs) fileNoteTimer = setTimeout(() => { fileNote = null; update(); }, clearMs);
    update();
  }

  /** E2/E3: upload, then send it into the chat; a chat must be open (queued or active). */
  function sendBlob(blob: Blob, name: string): void {
    const id = session.view.conversationId;
    if (!id || session.view.phase === 'idle' || session.view.phase === 'ended') return noteFile(xt('uploadFailed'), 5000);
    noteFile(xt('uploading', { name }));
    files.upload(id, blob, name).then((file) => {
      if (!session.sendFile(file.key)) throw new Error('not sent');
      noteFile(null);
    }).catch(() => noteFile(xt('uploadFailed'), 5000));
  }

  /** The sheet over the chat: the survey, a pushed info form, or the pre-chat form. */
  function currentSheet(): { el: HTMLElement | null; prechat: boolean } {
    const v = session.view;
    if (v.rated !== null && v.rated !== lastRated) {
      lastRated = v.rated;
      ratingOpen = false;
      session.log.addNote('system', xt('rated'), Date.now());
    }
    if (v.formSaved) {
      v.formSaved = false;
      session.log.addNote('system', xt('formSaved'), Date.now());
    }
    if (ratingOpen || v.ratingAsked) return { el: rating.el, prechat: false };
    if (v.form) {
      if (!infoSheet || infoSheet.fields !== v.form) {
        const fields = v.form;
        infoSheet = {
          fields,
          sheet: formSheet({
            t: xt, title: xt('formTitle'), fields, submitLabel: xt('formSend'),
            onSubmit: (values) => { if (!session.submitForm(values)) infoSheet?.sheet.status(t('error'), 'err'); },
            onClose: () => { v.form = null; update(); },
          }),
        };
      }
      return { el: infoSheet.sheet.el, prechat: false };
    }
    if (prechat && prechat.enabled && !prechatDone && v.phase === 'idle' && session.log.size === 0) {
      prechatSheet ??= formSheet({
        t: xt, title: xt('prechatTitle'), intro: prechat.welcome || undefined, fields: prechat.fields, questions: prechat.questions,
        submitLabel: xt('startChat'), onClose: null,
        onSubmit: (values) => {
          const q = prechat!.questions.find((x) => x.id === values.question);
          if (values.name && !memberToken) {
            // The agent sees this name in the queue: say it before asking for the chat (a verified member keeps its own).
            visitorName = values.name;
            session.sayHello();
          }
          if (!session.requestChat(q?.groupId ?? null, values)) return prechatSheet!.status(t('error'), 'err');
          prechatDone = true;
          update();
        },
      });
      return { el: prechatSheet.el, prechat: true };
    }
    return { el: null, prechat: false };
  }

  document.getElementById('app')!.appendChild(view.root);

  // D7: an invitation. `popup` shows the card in a small window; `chat` opens the chat with the greeting.
  const invite = inviteCard(t, () => {
    invite.hide();
    openedForCard = false;
    connection.send({ v: 1, type: 'invite.accept' });
    // The server asks for the chat; show the whole window for it.
    isOpen = everOpened = true;
    mode = 'chat';
    toHost({ sb: 1, type: 'open' });
    update();
    view.focus();
  }, () => {
    invite.hide();
    connection.send({ v: 1, type: 'invite.decline' });
    closeAfterCard();
  });
  document.body.appendChild(invite.el);
  /** The window was opened only for the card: put it away again. */
  let openedForCard = false;
  function closeAfterCard(): void {
    if (!openedForCard) return;
    openedForCard = false;
    isOpen = false;
    toHost({ sb: 1, type: 'close' });
  }
  function onInvite(f: Extract<VisitorOut, { type: 'invite.shown' | 'invite.hidden' }>): void {
    if (f.type === 'invite.hidden') {
      if (invite.shown) {
        invite.hide();
        closeAfterCard();
      }
      return;
    }
    const greeting = f.greeting.slice(0, 500);
    if (f.kind === 'chat') {
      invite.hide();
      openedForCard = false;
      if (greeting) session.log.addNote('system', greeting, Date.now(), f.agent?.name);
      mode = 'chat';
      if (!isOpen) {
        isOpen = everOpened = true;
        toHost({ sb: 1, type: 'open' });
      }
      update();
      return;
    }
    // Already chatting in an open window: the card would only get in the way.
    if (isOpen && session.view.phase !== 'idle' && session.view.phase !== 'ended') return;
    openedForCard = !isOpen || openedForCard;
    invite.show(greeting, f.agent?.name ?? null);
    if (openedForCard) toHost({ sb: 1, type: 'open', card: true });
  }

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
    // First: it may add a note ("thanks for rating") that the entries below must include.
    const sh = currentSheet();
    const model: ChatModel = {
      state, conn, phase: v.phase, position: v.position, agentName: v.agent?.name ?? null, agentTyping: v.agentTyping,
      entries: session.log.entries(), notice, mode, canMinimise: !!hostOrigin,
      sheet: sh.el, prechat: sh.prechat,
      fileNote, canRate: v.phase === 'active' || v.phase === 'queued' || (v.phase === 'ended' && session.log.size > 0),
    };
    view.render(model);
  }

  // J1: a snippet bound to an agent or a group (data-agent / data-group) follows that
  // scope's state, and its chats queue there (the socket's scope, agent first).
  const scope = ['agent', 'group'].map((n) => (q.get(n) ? `&${n}=${encodeURIComponent(q.get(n)!)}` : '')).join('');
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/visitor?key=${encodeURIComponent(key)}&vid=${encodeURIComponent(vid)}${scope}`;
  const connection = new Connection({
    url: wsUrl,
    // The DOM WebSocket is a SocketLike; its handler types are just stricter.
    factory: (url) => new WebSocket(url) as unknown as SocketLike,
    onOpen: () => session.handleOpen(),
    onFrame: (f) => (f.type === 'invite.shown' || f.type === 'invite.hidden' ? onInvite(f) : session.handleFrame(f)),
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
    if (msg.type === 'member') {
      memberToken = msg.token;
      startOnce();
    } else if (msg.type === 'open') {
      isOpen = everOpened = true;
      unread = 0;
      toHost({ sb: 1, type: 'unread', count: 0 });
      if (msg.mode === 'message') { mode = 'form'; formForced = false; }
      connection.retryNow();
      update();
      view.focus();
    } else {
      isOpen = false;
      // Minimised (the icon) while inviting: that closes the invitation.
      if (invite.shown) {
        invite.hide();
        openedForCard = false;
        connection.send({ v: 1, type: 'invite.decline' });
      }
    }
  });
  window.addEventListener('online', () => connection.retryNow());

  // G2/J4: the company's leave-a-message fields.
  fetch(`/api/v1/widget/config?key=${encodeURIComponent(key)}`, { credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : null))
    .then((c: { offlineForm?: { fields?: unknown } } | null) => {
      const specs = c && c.offlineForm ? parseFieldSpecs(c.offlineForm.fields) : null;
      if (specs) form.setFields(specs);
    }, () => {});

  // J5: the pre-chat form, when the company turned it on.
  fetch(`/api/v1/widget/prechat?key=${encodeURIComponent(key)}`, { credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : null))
    .then((p: Prechat | null) => { if (p && p.enabled && Array.isArray(p.fields)) { prechat = p; update(); } }, () => {});

  update();
  // L1: with a member token announced (m=1), wait briefly for it so hello carries it.
  let started = false;
  function startOnce(): void {
    if (started) return;
    started = true;
    connection.start();
  }
  if (q.get('m') === '1' && hostOrigin) setTimeout(startOnce, 3000);
  else startOnce();
}

try {
  start();
} catch (e) {
  // Show something rather than a blank window; details stay in the console.
  const app = document.getElementById('app');
  if (app) app.textContent = 'The chat could not start.';
  throw e;
}
