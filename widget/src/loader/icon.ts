// J1: the chat icon in the host page — floating bubble, fixed side tab, text link,
// group pill, or email button — showing online / busy / offline and unread count.
import type { IconState } from '../shared/bridge.js';
import { ACCENT, css, FONT, ICON_CHAT, ICON_CLOSE, ICON_MAIL, STATE_COLOURS, svgIcon, Z } from './style.js';

export type IconKind = 'floating' | 'fixed' | 'text' | 'group' | 'email';
export const ICON_KINDS: readonly IconKind[] = ['floating', 'fixed', 'text', 'group', 'email'];

export interface IconLabels { online: string; busy: string; offline: string; close: string; na: string }
/** `na`: C4 denied region with the icon shown disabled (greyed, not clickable) */
export type IconShown = IconState | 'na';

export interface Icon {
  el: HTMLElement;
  /** whether the icon sits bottom-right, so the open window goes above it */
  corner: boolean;
  update(state: IconShown | null, open: boolean, unread: number, mobile: boolean): void;
}

function badge(): HTMLElement {
  const b = document.createElement('span');
  css(b, {
    position: 'absolute', top: '-4px', right: '-4px', 'min-width': '18px', height: '18px', padding: '0 5px',
    'box-sizing': 'border-box', 'border-radius': '9px', background: '#ef4444', color: '#fff', 'font': `600 11px/18px ${FONT}`,
    'text-align': 'center', display: 'none', 'box-shadow': '0 0 0 2px #fff',
  }, true);
  b.setAttribute('data-sb', 'unread');
  return b;
}

function dot(): HTMLElement {
  const d = document.createElement('span');
  css(d, { display: 'inline-block', width: '8px', height: '8px', 'border-radius': '50%', 'flex-shrink': '0', 'box-shadow': '0 0 0 2px rgba(255,255,255,.9)' }, true);
  return d;
}

function showDisabled(el: HTMLElement, state: IconShown | null): void {
  const on = state === 'na';
  if (on) el.setAttribute('aria-disabled', 'true');
  else el.removeAttribute('aria-disabled');
  css(el, { opacity: on ? '.55' : '1', filter: on ? 'grayscale(1)' : 'none', cursor: on ? 'not-allowed' : 'pointer' });
}

function showBadge(b: HTMLElement, unread: number): void {
  b.textContent = unread > 99 ? '99+' : String(unread);
  b.style.setProperty('display', unread > 0 ? 'block' : 'none');
}

export function createIcon(kind: IconKind, labels: IconLabels, onClick: () => void): Icon {
  const el = document.createElement(kind === 'text' ? 'a' : 'button');
  el.setAttribute('data-sb', 'icon');
  el.setAttribute('data-kind', kind);
  if (kind === 'text') el.setAttribute('href', '#');
  else el.setAttribute('type', 'button');
  el.addEventListener('click', (e) => {
    e.preventDefault();
    if (!el.getAttribute('aria-disabled')) onClick();
  });
  const b = badge();
  const label = document.createElement('span');
  const d = dot();
  const fixedPos = { position: 'fixed', 'z-index': Z, cursor: 'pointer', 'box-sizing': 'border-box' };

  if (kind === 'text') {
    css(el, { color: ACCENT, 'text-decoration': 'underline', cursor: 'pointer', font: `inherit`, display: 'inline-flex', 'align-items': 'center', gap: '6px', position: 'relative' }, true);
    el.appendChild(d);
    el.appendChild(label);
    el.appendChild(b);
    css(b, { position: 'static', 'box-shadow': 'none' });
    return {
      el, corner: false,
      update(state) {
        label.textContent = labels[state ?? 'online'];
        d.style.setProperty('background', STATE_COLOURS[state ?? 'offline']);
        el.setAttribute('aria-label', label.textContent);
        showDisabled(el, state);
      },
    };
  }

  if (kind === 'fixed') {
    css(el, {
      ...fixedPos, right: '0', top: '50%', transform: 'translateY(-50%)', padding: '14px 9px', border: '0',
      'border-radius': '8px 0 0 8px', background: ACCENT, color: '#fff', font: `500 14px/1.2 ${FONT}`,
      'writing-mode': 'vertical-rl', display: 'flex', 'align-items': 'center', gap: '8px', 'box-shadow': '0 4px 16px rgba(0,0,0,.18)',
    }, true);
    el.appendChild(d);
    el.appendChild(label);
    el.appendChild(b);
    return {
      el, corner: false,
      update(state, open, unread, mobile) {
        label.textContent = labels[state ?? 'online'];
        d.style.setProperty('background', STATE_COLOURS[state ?? 'offline']);
        el.setAttribute('aria-label', label.textContent);
        el.style.setProperty('display', open && mobile ? 'none' : 'flex');
        showBadge(b, unread);
        showDisabled(el, state);
      },
    };
  }

  const pill = kind === 'group';
  css(el, {
    ...fixedPos, right: '20px', bottom: '20px', height: '56px', 'min-width': '56px', padding: pill ? '0 20px 0 16px' : '0',
    border: '0', 'border-radius': '28px', background: ACCENT, color: '#fff', font: `500 15px/1 ${FONT}`,
    display: 'flex', 'align-items': 'center', 'justify-content': 'center', gap: '8px',
    'box-shadow': '0 6px 24px rgba(26,115,232,.35), 0 2px 6px rgba(0,0,0,.12)', transition: 'transform .15s ease',
  }, true);
  el.addEventListener('mouseenter', () => el.style.setProperty('transform', 'scale(1.05)'));
  el.addEventListener('mouseleave', () => el.style.setProperty('transform', 'none'));
  const glyph = kind === 'email' ? ICON_MAIL : ICON_CHAT;
  const main = svgIcon(glyph, 26, '#fff');
  const close = svgIcon(ICON_CLOSE, 24, '#fff');
  el.appendChild(main);
  el.appendChild(close);
  if (pill) {
    css(label, { font: 'inherit', color: 'inherit', 'white-space': 'nowrap' }, true);
    el.appendChild(label);
  }
  css(d, { position: 'absolute', bottom: '3px', right: pill ? '6px' : '3px', width: '12px', height: '12px' });
  el.appendChild(d);
  el.appendChild(b);
  return {
    el, corner: true,
    update(state, open, unread, mobile) {
      const text = open ? labels.close : labels[state ?? 'online'];
      label.textContent = text;
      el.setAttribute('aria-label', text);
      el.setAttribute('title', text);
      main.style.setProperty('display', open && !pill ? 'none' : 'block');
      close.style.setProperty('display', open && !pill ? 'block' : 'none');
      d.style.setProperty('background', STATE_COLOURS[state ?? 'offline']);
      d.style.setProperty('display', state && !open ? 'block' : 'none');
      el.style.setProperty('display', open && mobile ? 'none' : 'flex');
      showBadge(b, open ? 0 : unread);
      showDisabled(el, state);
    },
  };
}
