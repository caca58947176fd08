// Styles go through CSSOM (el.style), which a strict CSP without 'unsafe-inline'
// still allows; `all: initial` first so host-page CSS cannot leak into our nodes.
export type Css = Record<string, string>;

export function css(el: HTMLElement | SVGElement, props: Css, reset = false): void {
  const s = el.style;
  if (reset) s.setProperty('all', 'initial');
  for (const k in props) s.setProperty(k, props[k]!);
}

export const ACCENT = '#1a73e8';
export const STATE_COLOURS = { online: '#22c55e', busy: '#f59e0b', offline: '#9ca3af', na: '#9ca3af' } as const;
export const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
export const Z = '2147483000';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 24×24 outline icon from one path. */
export function svgIcon(d: string, size: number, colour: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('d', d);
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', colour);
  p.setAttribute('stroke-width', '2');
  p.setAttribute('stroke-linecap', 'round');
  p.setAttribute('stroke-linejoin', 'round');
  svg.appendChild(p);
  css(svg, { display: 'block', 'pointer-events': 'none' });
  return svg;
}

export const ICON_CHAT = 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z';
export const ICON_MAIL = 'M3 6h18v12H3zM3 7l9 6 9-6';
export const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
