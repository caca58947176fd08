// E2/E3: images are re-encoded without metadata, get a ≤320 px thumbnail, and a
// header claiming too many pixels is refused before any pixel is decoded.
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { prepareUpload } from '../../server/src/domain/files/prepare.js';
import { AppError } from '../../server/src/ports/errors.js';

/** A PNG whose header claims width×height but holds almost no data (a pixel-flood bomb). */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const status = async (p: Promise<unknown>) => {
  try { await p; return 200; } catch (err) { if (err instanceof AppError) return err.status; throw err; }
};

describe('E2 image processing', () => {
  it('strips EXIF (GPS, camera) from the stored original and makes a small webp thumbnail', async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6' } })
      .jpeg().withExif({ IFD0: { Make: 'SpyCam', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N' } }).toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const out = await prepareUpload(photo, 'IMG_0001.JPG');
    expect(out).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: 'IMG_0001.jpg', width: 1200, height: 800 });
    const meta = await sharp(out.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(out.data.includes(Buffer.from('SpyCam'))).toBe(false);
    const thumb = await sharp(out.thumb!.data).metadata();
    expect(thumb.format).toBe('webp');
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
  });

  it('refuses a pixel flood (header claims 20000×20000) with 422', async () => {
    expect(await status(prepareUpload(pngBomb(20_000, 20_000), 'bomb.png'))).toBe(422);
  });

  it('refuses a truncated image that only looks like one by its magic bytes', async () => {
    expect(await status(prepareUpload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'x.png'))).toBe(415);
  });

  it('refuses bytes over the limit with 413 and non-files with 415', async () => {
    expect(await status(prepareUpload(Buffer.alloc(2048, 0x61), 'a.txt', { maxBytes: 1024, maxPixels: 1e6 }))).toBe(413);
    expect(await status(prepareUpload(Buffer.from('<svg onload=alert(1)>'), 'cat.png'))).toBe(415);
  });
});
