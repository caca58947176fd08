// D7: the invitation card an agent (or an auto-invite rule) shows the visitor. It
// fills the small window the loader opens for it; text goes in only as textContent.
import { h, icon, ICONS, show } from './dom.js';
import type { Translate } from './i18n.js';

export interface InviteCard {
  readonly el: HTMLElement;
  readonly shown: boolean;
  show(greeting: string, agentName: string | null): void;
  hide(): void;
}

export function inviteCard(t: Translate, onAccept: () => void, onClose: () => void): InviteCard {
  const who = h('p', { class: 'sb-invite-who' });
  const text = h('p', { class: 'sb-invite-text' });
  const accept = h('button', { type: 'button', class: 'sb-btn sb-btn--primary sb-invite-accept', 'data-sb': 'invite-accept', text: t('inviteAccept') });
  const close = h('button', { type: 'button', class: 'sb-btn sb-invite-close', 'data-sb': 'invite-close', text: t('inviteClose') });
  const el = h('div', { class: 'sb-invite', role: 'dialog', 'aria-modal': 'false', 'data-sb': 'invite' },
    h('div', { class: 'sb-invite-head' }, h('span', { class: 'sb-avatar' }, icon(ICONS.chat)), who),
    text,
    h('div', { class: 'sb-invite-actions' }, close, accept));
  let shown = false;
  accept.addEventListener('click', onAccept);
  close.addEventListener('click', onClose);
  show(el, false);
  return {
    el,
    get shown() { return shown; },
    show(greeting, agentName) {
      who.textContent = agentName ? t('inviteFrom', { name: agentName }) : t('title');
      text.textContent = greeting || t('welcome');
      shown = true;
      show(el, true);
      accept.focus();
    },
    hide() {
      shown = false;
      show(el, false);
    },
  };
}
