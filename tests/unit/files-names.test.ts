// E2: display names never carry paths, invisible or direction-flipping characters,
// and always end in the extension of the real type; CJK is kept.
import { describe, expect, it } from 'vitest';
import { contentDisposition, MAX_NAME_CHARS, safeFileName } from '../../server/src/domain/files/names.js';

describe('E2 safe file names', () => {
  it('keeps only the last path segment', () => {
    expect(safeFileName('../../etc/passwd', 'txt')).toBe('passwd.txt');
    expect(safeFileName('..\\..\\windows\\system32\\cmd.exe', 'txt')).toBe('cmd.txt');
    expect(safeFileName('/', 'png')).toBe('file.png');
    expect(safeFileName('..', 'pdf')).toBe('file.pdf');
  });

  it('removes control characters and bidi overrides that disguise the extension', () => {
    expect(safeFileName('invoice\u202Efdp.exe', 'txt')).toBe('invoicefdp.txt');
    expect(safeFileName('a\u0000b\u001bc\r\n.png', 'png')).toBe('abc.png');
    expect(safeFileName('\u200Bzero\u2066width\u2069.jpg', 'jpg')).toBe('zerowidth.jpg');
  });

  it('keeps CJK and replaces characters Windows refuses', () => {
    expect(safeFileName('报价单<2024>:终版?.xlsx', 'xlsx')).toBe('报价单_2024__终版_.xlsx');
    expect(safeFileName('截图.jpeg', 'jpg')).toBe('截图.jpg');
  });

  it('forces the sniffed extension and bounds the length in characters', () => {
    expect(safeFileName('photo.png.exe', 'png')).toBe('photo.png.png');
    expect(safeFileName('report', 'pdf')).toBe('report.pdf');
    const long = safeFileName('长'.repeat(500) + '.txt', 'txt');
    expect(Array.from(long)).toHaveLength(MAX_NAME_CHARS);
    expect(long.endsWith('.txt')).toBe(true);
  });

  it('Content-Disposition carries an ASCII fallback and the exact UTF-8 name', () => {
    const h = contentDisposition('attachment', '报价 "单"(1).pdf');
    expect(h).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(h).not.toMatch(/filename="[^"]*"[^;]*"/);
    expect(decodeURIComponent(h.split("UTF-8''")[1]!)).toBe('报价 "单"(1).pdf');
    expect(h.split("UTF-8''")[1]).not.toMatch(/[()'"*]/);
  });
});
