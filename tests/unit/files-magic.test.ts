// E2: uploads are typed by their bytes; markup, executables and polyglots are refused.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sniffType, UnsupportedContentError } from '../../server/src/domain/files/magic.js';

const png = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).png().toBuffer();
const jpeg = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#0f0' } }).jpeg().toBuffer();
const refused = (buf: Buffer) => expect(() => sniffType(buf)).toThrow(UnsupportedContentError);

function zipWith(names: string[]): Buffer {
  // Enough of a ZIP for sniffing: local header signature, then the entry names.
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(names.join('\0'))]);
}

describe('E2 file typing by magic bytes', () => {
  it('recognises the allowed types whatever the name or declared type says', async () => {
    expect(sniffType(await png())).toMatchObject({ mime: 'image/png', ext: 'png', kind: 'image' });
    expect(sniffType(await jpeg())).toMatchObject({ mime: 'image/jpeg', ext: 'jpg', kind: 'image' });
    expect(sniffType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')).mime).toBe('image/gif');
    expect(sniffType(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')).mime).toBe('image/webp');
    expect(sniffType(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF')).mime).toBe('application/pdf');
    expect(sniffType(zipWith(['[Content_Types].xml', 'word/document.xml'])).ext).toBe('docx');
    expect(sniffType(zipWith(['[Content_Types].xml', 'xl/workbook.xml'])).ext).toBe('xlsx');
    expect(sniffType(zipWith(['notes.txt'])).ext).toBe('zip');
    expect(sniffType(Buffer.from('订单号 12345\n退货原因：尺码不合适\n'))).toMatchObject({ ext: 'txt', kind: 'file' });
  });

  it('refuses SVG, HTML, executables, scripts and unknown binaries', () => {
    refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    refused(Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'));
    refused(Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'));
    refused(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'));
    refused(Buffer.from('\x7fELF\x02\x01\x01', 'latin1'));
    refused(Buffer.from('#!/bin/sh\nrm -rf /\n'));
    refused(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]));
    refused(Buffer.alloc(0));
  });

  it('refuses polyglots: an image or PDF carrying an archive or markup', async () => {
    const img = await jpeg();
    refused(Buffer.concat([img, zipWith(['evil.html'])]));
    refused(Buffer.concat([img, Buffer.from('<script>alert(document.cookie)</script>')]));
    refused(Buffer.concat([await png(), Buffer.from('<HTML><BODY onload=x()>')]));
    refused(Buffer.from('GIF89a/*\x00\x00*/=1;<script>alert(1)</script>', 'latin1'));
    refused(Buffer.from('%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>'));
  });

  it('a ZIP may carry an HTML entry: it is an archive and only ever downloads', () => {
    expect(sniffType(Buffer.concat([zipWith(['index.html']), Buffer.from('<html></html>')])).ext).toBe('zip');
  });
});
