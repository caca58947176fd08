// Content typing by magic bytes (E2). The declared Content-Type and the file
// name's extension are never trusted: what the bytes are decides how a file is
// stored and served. Anything not on the allow-list (SVG, HTML, executables,
// unknown binaries) is refused, and allowed types are checked for a second
// personality (polyglots) hidden in the rest of the payload.

export type FileKind = 'image' | 'file';

export interface SniffedType {
  mime: string;
  /** canonical extension, without the dot */
  ext: string;
  kind: FileKind;
}

export const IMAGE_TYPES = {
  png: { mime: 'image/png', ext: 'png', kind: 'image' },
  jpeg: { mime: 'image/jpeg', ext: 'jpg', kind: 'image' },
  gif: { mime: 'image/gif', ext: 'gif', kind: 'image' },
  webp: { mime: 'image/webp', ext: 'webp', kind: 'image' },
} as const satisfies Record<string, SniffedType>;

const PDF: SniffedType = { mime: 'application/pdf', ext: 'pdf', kind: 'file' };
const ZIP: SniffedType = { mime: 'application/zip', ext: 'zip', kind: 'file' };
const DOCX: SniffedType = { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', kind: 'file' };
const XLSX: SniffedType = { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', kind: 'file' };
const TXT: SniffedType = { mime: 'text/plain; charset=utf-8', ext: 'txt', kind: 'file' };

const startsWith = (buf: Uint8Array, sig: readonly number[], at = 0) =>
  buf.length >= at + sig.length && sig.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Why a payload was refused; the route maps it to 415. */
export class UnsupportedContentError extends Error {}

/**
 * Markers of a second, active personality: HTML/SVG a browser would run, or an
 * archive appended to an image. Searched over the whole payload (latin1 view,
 * lower-cased), which is cheap at 10 MB.
 */
const MARKUP_MARKERS = ['<script', '<html', '<svg', '<iframe', '<!doctype', '<body', '<object', '<embed', 'javascript:', '<?xml-stylesheet'];
const ARCHIVE_MARKERS = ['pk\x03\x04', 'pk\x05\x06', 'pk\x01\x02', 'rar!\x1a\x07', '7z\xbc\xaf\x27\x1c'];

function findMarker(text: string, markers: readonly string[]): string | null {
  for (const m of markers) if (text.includes(m)) return m;
  return null;
}

function zipSubtype(buf: Buffer): SniffedType {
  // OOXML names its parts in the central directory; a look at the names is enough
  // to pick the extension (the file is served as an attachment either way).
  const names = buf.toString('latin1');
  if (names.includes('[Content_Types].xml')) {
    if (names.includes('word/')) return DOCX;
    if (names.includes('xl/')) return XLSX;
  }
  return ZIP;
}

/** Valid UTF-8 without NUL or C0 controls other than tab, newline, CR, form feed. */
function isPlainText(buf: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

/**
 * The type of `buf` by its bytes, or throws UnsupportedContentError.
 * Executables (MZ, ELF, Mach-O, scripts with #!) never match any allowed type.
 */
export function sniffType(buf: Buffer): SniffedType {
  if (buf.length === 0) throw new UnsupportedContentError('empty file');
  const lower = buf.toString('latin1').toLowerCase();
  let type: SniffedType | null = null;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) type = IMAGE_TYPES.png;
  else if (startsWith(buf, [0xff, 0xd8, 0xff])) type = IMAGE_TYPES.jpeg;
  else if (startsWith(buf, ascii('GIF87a')) || startsWith(buf, ascii('GIF89a'))) type = IMAGE_TYPES.gif;
  else if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) type = IMAGE_TYPES.webp;
  else if (startsWith(buf, ascii('%PDF-'))) type = PDF;
  else if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) type = zipSubtype(buf);
  else if (!startsWith(buf, ascii('#!')) && isPlainText(buf)) type = TXT;
  if (!type) throw new UnsupportedContentError('file type not allowed (images, PDF, Office documents, ZIP and plain text are)');

  // Markup anywhere is refused for every type but archives, whose compressed
  // bytes say nothing (and are only ever served as downloads).
  if (type !== ZIP && type !== DOCX && type !== XLSX) {
    const m = findMarker(lower, MARKUP_MARKERS);
    if (m) throw new UnsupportedContentError(`file contains markup (${JSON.stringify(m)}); HTML and SVG are not accepted`);
  }
  if (type.kind === 'image' || type === PDF) {
    const m = findMarker(lower.slice(4), ARCHIVE_MARKERS);
    if (m) throw new UnsupportedContentError(`${type.ext} file carries an embedded archive`);
  }
  if (type === PDF && /\/(javascript|js|launch|embeddedfile)\b/.test(lower)) {
    throw new UnsupportedContentError('PDF with scripts, launch actions or embedded files is not accepted');
  }
  return type;
}
