// Display names for uploads. The name is only ever shown and offered as the
// download name; storage uses random keys, so this is about what a person sees:
// no paths, no invisible or direction-flipping characters that would disguise
// "invoice‮fdp.exe" as "invoiceexe.pdf", and the extension of the real type.
// CJK and other letters are kept.

export const MAX_NAME_CHARS = 120;

// C0/C1 controls, DEL, bidi embeddings/overrides/isolates and marks, zero-width
// characters, BOM, and the Unicode line/paragraph separators.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;
// Characters Windows refuses in names, and the path separators.
const RESERVED = /[<>:"/\\|?*]/g;

/**
 * A safe display name ending in `.${ext}`: last path segment only, invisible
 * characters removed, reserved characters replaced, at most MAX_NAME_CHARS
 * characters (code points). Falls back to "file.<ext>".
 */
export function safeFileName(raw: string, ext: string): string {
  let s = (raw ?? '').normalize('NFC').replace(INVISIBLE, '');
  // Last segment of either separator, so "../../etc/passwd" and "C:\\x\\y" give their base name.
  s = s.split(/[/\\]/).pop() ?? '';
  s = s.replace(RESERVED, '_').trim();
  // Leading dots would make hidden files or ".." entries; trailing dots and spaces vanish on Windows.
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  let base = s;
  const dot = s.lastIndexOf('.');
  if (dot > 0) {
    const given = s.slice(dot + 1).toLowerCase();
    // Keep the stem; the extension always comes from the sniffed type.
    if (given === ext || (ext === 'jpg' && given === 'jpeg') || /^[a-z0-9]{1,8}$/.test(given)) base = s.slice(0, dot).replace(/[.\s]+$/, '');
  }
  const suffix = `.${ext}`;
  const chars = Array.from(base);
  const room = MAX_NAME_CHARS - suffix.length;
  if (chars.length > room) base = chars.slice(0, room).join('').trimEnd();
  return (base === '' ? 'file' : base) + suffix;
}

/** RFC 6266 / 5987 Content-Disposition with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
