// The chat window's DOM: header with state, notices (queue, busy, reconnecting),
// the message list in seq order, agent typing line, and the composer with the
// emoji picker. It renders a plain model; it never decides protocol things.
import { h, icon, ICONS, show } from './dom.js';
import { EMOJI } from './emoji.js';
import type { Translate } from './i18n.js';
import type { LogEntry } from './message-log.js';
import type { Phase } from './session.js';
import type { ExtrasTranslate } from './extras-i18n.js';
import { pastedFiles } from './files.js';

export interface ChatModel {
  /** online/busy/offline as the visitor should see it, or null while unknown */
  state: 'online' | 'busy' | 'offline' | null;
  conn: 'connecting' | 'open' | 'reconnecting' | 'stopped';
  phase: Phase;
  position: number | null;
  agentName: string | null;
  agentTyping: boolean;
  entries: LogEntry[];
  notice: string | null;
  mode: 'chat' | 'form';
  canMinimise: boolean;
  /** a survey / info form / pre-chat sheet over the chat, or null */
  sheet: HTMLElement | null;
  /** the pre-chat form stands in for the composer */
  prechat: boolean;
  /** a line about an upload in progress or failed */
  fileNote: string | null;
  /** the chat can be rated now (E8) */
  canRate: boolean;
}

export interface ChatActions {
  send(text: string): void;
  draft(text: string): void;
  end(): void;
  newChat(): void;
  minimise(): void;
  leaveMessage(): void;
  attach(files: File[]): void;
  capture(): void;
  rate(): void;
}

export interface ExtrasView {
  t: ExtrasTranslate;
  fileUrl(key: string): string;
  canCapture: boolean;
}

const fmtTime = (at: number, lang: string) => {
  try {
    return new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  } catch {
    return '';
  }
};

const fmtSize = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export class ChatView {
  readonly root: HTMLElement;
  private readonly status = h('span', { class: 'sb-status' });
  private readonly statusDot = h('span', { class: 'sb-dot' });
  private readonly endBtn: HTMLButtonElement;
  private readonly minBtn: HTMLButtonElement;
  private readonly banner = h('div', { class: 'sb-banner', role: 'status', 'aria-live': 'polite' });
  private readonly bannerText = h('span');
  private readonly bannerAction = h('button', { class: 'sb-banner-btn', type: 'button' });
  private readonly bannerCancel = h('button', { class: 'sb-banner-btn sb-banner-btn--ghost', type: 'button' });
  private readonly list = h('div', { class: 'sb-list', role: 'log', 'aria-live': 'polite' });
  private readonly intro = h('div', { class: 'sb-intro' });
  private readonly typing = h('div', { class: 'sb-typing' });
  private readonly composer = h('form', { class: 'sb-compose' });
  private readonly input = h('textarea', { class: 'sb-text', rows: '1', maxlength: '5000' });
  private readonly emojiPanel = h('div', { class: 'sb-emoji', role: 'dialog' });
  private readonly endedBar = h('div', { class: 'sb-ended' });
  private readonly body = h('div', { class: 'sb-body' });
  private readonly sheetHost = h('div', { class: 'sb-sheet-host' });
  private readonly fileNote = h('div', { class: 'sb-file-note', role: 'status' });
  private readonly rateBtn: HTMLButtonElement;
  private shownSheet: HTMLElement | null = null;
  private readonly nodes = new Map<string, HTMLElement>();
  private confirming = false;
  private bannerKind = '';
  private model: ChatModel | null = null;

  constructor(private readonly t: Translate, private readonly lang: string, private readonly actions: ChatActions, readonly formEl: HTMLElement, private readonly x: ExtrasView) {
    this.rateBtn = h('button', { class: 'sb-head-btn', type: 'button', title: x.t('rate'), 'aria-label': x.t('rate') }, icon(ICONS.star));
    this.rateBtn.addEventListener('click', () => actions.rate());
    this.endBtn = h('button', { class: 'sb-head-btn', type: 'button', title: t('endChat'), 'aria-label': t('endChat') }, icon(ICONS.end));
    this.minBtn = h('button', { class: 'sb-head-btn', type: 'button', title: t('minimise'), 'aria-label': t('minimise') }, icon(ICONS.minimise));
    this.endBtn.addEventListener('click', () => { this.confirming = true; this.refresh(); });
    this.minBtn.addEventListener('click', () => actions.minimise());
    this.bannerAction.addEventListener('click', () => this.onBannerAction());
    this.bannerCancel.addEventListener('click', () => { this.confirming = false; this.refresh(); });
    this.banner.append(this.bannerText, this.bannerAction, this.bannerCancel);

    const header = h('header', { class: 'sb-head' },
      h('div', { class: 'sb-avatar' }, icon(ICONS.chat)),
      h('div', { class: 'sb-head-text' }, h('h1', { class: 'sb-title', text: t('title') }), h('div', { class: 'sb-sub' }, this.statusDot, this.status)),
      this.rateBtn, this.endBtn, this.minBtn,
    );

    this.buildComposer();
    const newChat = h('button', { class: 'sb-btn sb-btn--primary', type: 'button', text: t('newChat') });
    newChat.addEventListener('click', () => actions.newChat());
    this.endedBar.append(h('span', { text: t('ended') }), newChat);
    this.intro.append(h('div', { class: 'sb-intro-icon' }, icon(ICONS.chat)), h('p', { text: t('intro') }));
    this.body.append(this.intro, this.list, this.typing);
    this.root = h('div', { class: 'sb-window' }, header, this.banner, this.body, this.sheetHost, this.fileNote, this.endedBar, this.composer, formEl);
  }

  private buildComposer(): void {
    const { t, input } = this;
    input.setAttribute('placeholder', t('placeholder'));
    input.setAttribute('aria-label', t('placeholder'));
    const emojiBtn = h('button', { class: 'sb-tool', type: 'button', title: t('emoji'), 'aria-label': t('emoji') }, icon(ICONS.smile));
    const sendBtn = h('button', { class: 'sb-send', type: 'submit', title: t('send'), 'aria-label': t('send') }, icon(ICONS.send));
    for (const e of EMOJI) {
      const b = h('button', { class: 'sb-emoji-btn', type: 'button', text: e });
      b.addEventListener('click', () => this.insert(e));
      this.emojiPanel.appendChild(b);
    }
    show(this.emojiPanel, false);
    emojiBtn.addEventListener('click', () => show(this.emojiPanel, this.emojiPanel.hidden));
    // E2/E3: pick a file, capture the screen, or paste an image into the text box.
    const x = this.x;
    const picker = h('input', { type: 'file', class: 'sb-file-input', tabindex: '-1', 'aria-hidden': 'true' });
    picker.addEventListener('change', () => {
      const files = picker.files ? Array.from(picker.files) : [];
      picker.value = '';
      if (files.length) this.actions.attach(files);
    });
    const attachBtn = h('button', { class: 'sb-xtool', type: 'button', title: x.t('attach'), 'aria-label': x.t('attach') }, icon(ICONS.clip));
    attachBtn.addEventListener('click', () => picker.click());
    const shotBtn = x.canCapture ? h('button', { class: 'sb-xtool sb-xtool--shot', type: 'button', title: x.t('screenshot'), 'aria-label': x.t('screenshot') }, icon(ICONS.camera)) : null;
    shotBtn?.addEventListener('click', () => this.actions.capture());
    input.addEventListener('paste', (ev) => {
      const files = pastedFiles(ev);
      if (!files.length) return;
      ev.preventDefault();
      this.actions.attach(files);
    });
    const submit = () => {
      const text = input.value;
      if (!text.trim()) return;
      input.value = '';
      this.autosize();
      show(this.emojiPanel, false);
      this.actions.send(text);
      input.focus();
    };
    this.composer.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    input.addEventListener('keydown', (ev) => {
      // Enter sends, Shift+Enter breaks the line; never while an IME is composing (CJK input).
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
        ev.preventDefault();
        submit();
      } else if (ev.key === 'Escape') show(this.emojiPanel, false);
    });
    input.addEventListener('input', () => { this.autosize(); this.actions.draft(input.value); });
    this.composer.append(this.emojiPanel, picker, emojiBtn, attachBtn, ...(shotBtn ? [shotBtn] : []), input, sendBtn);
  }

  private insert(text: string): void {
    const el = this.input;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    el.value = el.value.slice(0, start) + text + el.value.slice(end);
    el.selectionStart = el.selectionEnd = start + text.length;
    el.focus();
    this.autosize();
    this.actions.draft(el.value);
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  private onBannerAction(): void {
    if (this.confirming) {
      this.confirming = false;
      this.actions.end();
    } else if (this.bannerKind === 'busy') this.actions.leaveMessage();
    this.refresh();
  }

  focus(): void {
    if (!this.input.disabled && this.model?.mode === 'chat') this.input.focus();
  }

  render(m: ChatModel): void {
    this.model = m;
    this.refresh();
  }

  private refresh(): void {
    const m = this.model;
    if (!m) return;
    const { t } = this;
    const chat = m.mode === 'chat';
    // Header: connection first (B5), then the conversation, then the widget state.
    const live = m.phase === 'queued' || m.phase === 'active';
    let statusText: string;
    let dot: string;
    if (m.conn === 'connecting') { statusText = t('connecting'); dot = 'wait'; }
    else if (m.conn !== 'open') { statusText = t('reconnecting'); dot = 'wait'; }
    else if (m.phase === 'active' && m.agentName) { statusText = m.agentName; dot = 'online'; }
    else { statusText = t(m.state ?? 'online'); dot = m.state ?? 'wait'; }
    this.status.textContent = statusText;
    this.statusDot.className = `sb-dot sb-dot--${dot}`;
    show(this.endBtn, chat && live);
    show(this.minBtn, m.canMinimise);
    if (!live) this.confirming = false;

    // Banner: confirm end > reconnecting > error notice > queue > busy.
    let text = '';
    let action = '';
    this.bannerKind = '';
    if (this.confirming) { text = t('endConfirm'); action = t('endChat'); this.bannerKind = 'confirm'; }
    else if (m.conn === 'reconnecting' && (live || m.entries.length > 0)) { text = t('reconnecting'); this.bannerKind = 'warn'; }
    else if (m.notice) { text = m.notice; this.bannerKind = 'warn'; }
    else if (m.phase === 'queued') {
      text = m.position !== null ? `${t('queued', { position: m.position })} ${t('waiting')}` : t('waiting');
      this.bannerKind = 'info';
    } else if (m.phase === 'idle' && m.state === 'busy') { text = t('busyText'); action = t('leaveMessage'); this.bannerKind = 'busy'; }
    this.bannerText.textContent = text;
    this.bannerAction.textContent = action;
    this.bannerCancel.textContent = t('backToChat');
    show(this.bannerAction, !!action);
    show(this.bannerCancel, this.confirming);
    this.banner.className = `sb-banner sb-banner--${this.bannerKind}`;
    show(this.banner, chat && !!text);

    show(this.body, chat);
    show(this.intro, m.entries.length === 0 && m.phase === 'idle');
    this.renderList(m.entries);
    this.typing.textContent = m.agentTyping ? t('typing', { name: m.agentName || t('agent') }) : '';
    show(this.typing, chat && m.agentTyping);
    show(this.endedBar, chat && m.phase === 'ended');
    show(this.composer, chat && m.phase !== 'ended' && !m.prechat);
    show(this.formEl, !chat);
    show(this.rateBtn, chat && m.canRate);
    this.fileNote.textContent = m.fileNote ?? '';
    show(this.fileNote, chat && !!m.fileNote);
    if (m.sheet !== this.shownSheet) {
      this.sheetHost.textContent = '';
      if (m.sheet) this.sheetHost.appendChild(m.sheet);
      this.shownSheet = m.sheet;
    }
    // The pre-chat form is the window's content, not a dialog over a chat: no scrim.
    this.sheetHost.classList.toggle('sb-sheet-host--plain', m.prechat);
    show(this.sheetHost, chat && !!m.sheet);
    if (m.prechat) show(this.intro, false);
  }

  private renderList(entries: LogEntry[]): void {
    const list = this.list;
    const nearBottom = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 80;
    const keep = new Set<string>();
    let prev: LogEntry | null = null;
    let cursor: ChildNode | null = list.firstChild;
    let added = false;
    for (const e of entries) {
      keep.add(e.key);
      const firstOfRun = !prev || prev.sender !== e.sender || prev.senderName !== e.senderName;
      let node = this.nodes.get(e.key);
      if (!node) {
        node = this.bubble(e);
        this.nodes.set(e.key, node);
        added = true;
      }
      this.decorate(node, e, firstOfRun);
      if (node !== cursor) list.insertBefore(node, cursor);
      else cursor = cursor.nextSibling;
      prev = e;
    }
    for (const [key, node] of this.nodes) {
      if (!keep.has(key)) {
        node.remove();
        this.nodes.delete(key);
      }
    }
    if (added && (nearBottom || entries[entries.length - 1]?.sender === 'visitor')) this.body.scrollTop = this.body.scrollHeight;
  }

  private bubble(e: LogEntry): HTMLElement {
    if (e.sender === 'system') return h('div', { class: 'sb-msg sb-msg--system' }, h('span', { class: 'sb-sys', text: e.text }));
    return h('div', { class: `sb-msg sb-msg--${e.sender}` },
      h('div', { class: 'sb-name' }),
      e.attachment ? this.fileBubble(e) : h('div', { class: 'sb-bubble', text: e.text }),
      h('div', { class: 'sb-meta' }),
    );
  }

  /** An image as a thumbnail linking to the original; another file as a download link; a refused one as a note. */
  private fileBubble(e: LogEntry): HTMLElement {
    const a = e.attachment!;
    const { x } = this;
    if (a.declined) return h('div', { class: 'sb-bubble sb-bubble--file sb-file--declined', text: `${a.name} · ${x.t('declined')}` });
    const link = h('a', { class: 'sb-file-link', href: x.fileUrl(a.key), target: '_blank', rel: 'noopener', download: a.kind === 'image' ? false : a.name });
    if (a.kind === 'image' && a.thumbKey) {
      const img = h('img', { class: 'sb-thumb', src: x.fileUrl(a.thumbKey), alt: a.name });
      if (a.width && a.height) { img.width = Math.min(200, a.width); img.height = Math.round(img.width * (a.height / a.width)); }
      link.appendChild(img);
    } else {
      link.append(icon(ICONS.clip), h('span', { class: 'sb-file-name', text: a.name }), h('span', { class: 'sb-file-size', text: fmtSize(a.size) }));
    }
    return h('div', { class: 'sb-bubble sb-bubble--file' }, link);
  }

  private decorate(node: HTMLElement, e: LogEntry, firstOfRun: boolean): void {
    if (e.sender === 'system') return;
    node.classList.toggle('sb-msg--pending', e.pending);
    node.classList.toggle('sb-msg--failed', !!e.failed);
    node.classList.toggle('sb-msg--first', firstOfRun);
    const name = node.firstChild as HTMLElement;
    name.textContent = e.sender === 'agent' && firstOfRun ? e.senderName || this.t('agent') : '';
    const meta = node.lastChild as HTMLElement;
    meta.textContent = e.failed ? this.t('error') : e.pending ? this.t('sending') : fmtTime(e.at, this.lang);
  }
}
