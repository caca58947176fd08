// The chat window iframe: loaded at once (it holds the socket and reports the
// widget state), shown only when open. Desktop: a panel bottom-right; phones
// (narrower than 600px): full screen.
import { css, Z } from './style.js';

export interface Frame {
  el: HTMLIFrameElement;
  /** `card`: the small D7 invitation card rather than the chat */
  layout(open: boolean, mobile: boolean, aboveIcon: boolean, card?: boolean): void;
}

export function createFrame(src: string, title: string): Frame {
  const el = document.createElement('iframe');
  el.setAttribute('src', src);
  el.setAttribute('title', title);
  el.setAttribute('data-sb', 'window');
  el.setAttribute('allow', 'clipboard-write');
  css(el, { position: 'fixed', 'z-index': Z, border: '0', background: 'transparent', display: 'none', 'color-scheme': 'normal' }, true);
  return {
    el,
    layout(open, mobile, aboveIcon, card) {
      const s = el.style;
      if (!open) {
        s.setProperty('display', 'none');
        return;
      }
      const box = card
        ? { left: mobile ? '0' : 'auto', top: 'auto', right: mobile ? '0' : '20px', bottom: aboveIcon ? '88px' : '20px', width: mobile ? 'auto' : '320px', height: '200px', 'border-radius': '14px', 'box-shadow': '0 12px 48px rgba(0,0,0,.18), 0 2px 8px rgba(0,0,0,.08)' }
        : mobile
        ? { left: '0', top: '0', right: 'auto', bottom: 'auto', width: '100%', height: '100%', 'border-radius': '0', 'box-shadow': 'none' }
        : {
            left: 'auto', top: 'auto', right: '20px', bottom: aboveIcon ? '88px' : '20px', width: '370px',
            height: `min(600px, calc(100% - ${aboveIcon ? 108 : 40}px))`, 'border-radius': '14px',
            'box-shadow': '0 12px 48px rgba(0,0,0,.18), 0 2px 8px rgba(0,0,0,.08)',
          };
      css(el, { ...box, display: 'block' });
    },
  };
}
