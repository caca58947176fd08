// The postMessage contract between the loader (host page) and the chat window
// (iframe on our origin). Every message is `{ sb: 1, type, ... }`; each side checks
// `event.origin` and `event.source` before trusting one, and posts with an exact
// target origin, never '*'.

export type IconState = 'online' | 'busy' | 'offline';

/** iframe → loader */
export type WindowToHost =
  | { sb: 1; type: 'state'; state: IconState }
  /** the window wants to be shown (agent message, invite); `card`: only as the small D7 invitation card */
  | { sb: 1; type: 'open'; card?: boolean }
  | { sb: 1; type: 'close' } // the visitor minimised the window
  | { sb: 1; type: 'unread'; count: number };

/** loader → iframe */
export type HostToWindow =
  | { sb: 1; type: 'open'; mode?: 'chat' | 'message' }
  | { sb: 1; type: 'close' }
  /** L1: the host page's signed member token, passed by message so it never sits in a URL */
  | { sb: 1; type: 'member'; token: string };

const STATES: readonly string[] = ['online', 'busy', 'offline'];

/** Narrow untrusted data to a WindowToHost message, or null. */
export function parseWindowToHost(data: unknown): WindowToHost | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  if (d.sb !== 1) return null;
  switch (d.type) {
    case 'state':
      return typeof d.state === 'string' && STATES.indexOf(d.state) >= 0 ? { sb: 1, type: 'state', state: d.state as IconState } : null;
    case 'open':
      return d.card === true ? { sb: 1, type: 'open', card: true } : { sb: 1, type: 'open' };
    case 'close':
      return { sb: 1, type: d.type };
    case 'unread':
      return typeof d.count === 'number' && d.count >= 0 && d.count < 1e6 ? { sb: 1, type: 'unread', count: Math.floor(d.count) } : null;
    default:
      return null;
  }
}

/** Narrow untrusted data to a HostToWindow message, or null. */
export function parseHostToWindow(data: unknown): HostToWindow | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Record<string, unknown>;
  if (d.sb !== 1) return null;
  if (d.type === 'open') return { sb: 1, type: 'open', mode: d.mode === 'message' ? 'message' : 'chat' };
  if (d.type === 'close') return { sb: 1, type: 'close' };
  if (d.type === 'member') return typeof d.token === 'string' && d.token.length <= 4096 ? { sb: 1, type: 'member', token: d.token } : null;
  return null;
}

/** Origin of an absolute http(s) URL, or null (used to pin postMessage targets). */
export function originOf(url: string): string | null {
  const m = /^(https?:\/\/[^/?#]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}
