// Image uploads are decoded and re-encoded with sharp: what we store is pixels
// we produced, so EXIF (GPS, camera serials), comments and anything appended to
// the original are gone. Decoding is bounded by a pixel count checked from the
// header before any pixel is allocated (a 40 kB PNG can claim 2 gigapixels).
import sharp, { type FormatEnum, type Metadata } from 'sharp';
import type { SniffedType } from './magic.js';
import { UnsupportedContentError } from './magic.js';

export const MAX_INPUT_PIXELS = 40_000_000;
export const THUMB_MAX_PX = 320;

export class PixelFloodError extends Error {}

export interface ProcessedImage {
  data: Buffer;
  mime: string;
  width: number;
  height: number;
  thumb: { data: Buffer; mime: string; width: number; height: number };
}

const SHARP_FORMAT: Record<string, keyof FormatEnum> = {
  'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp',
};

export async function processImage(buf: Buffer, type: SniffedType, maxPixels = MAX_INPUT_PIXELS): Promise<ProcessedImage> {
  const format = SHARP_FORMAT[type.mime];
  if (!format) throw new UnsupportedContentError(`${type.mime} is not an image type`);
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw new UnsupportedContentError('image cannot be decoded');
  }
  // The bytes must decode as what the magic said, not as anything sharp can read (SVG, TIFF...).
  if (meta.format !== format) throw new UnsupportedContentError('image header does not match its content');
  const pages = meta.pages ?? 1;
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new UnsupportedContentError('image has no size');
  if (width * height * pages > maxPixels) throw new PixelFloodError(`image is ${width}×${height}×${pages}; at most ${maxPixels} pixels`);

  const animated = (format === 'gif' || format === 'webp') && pages > 1;
  const open = () => sharp(buf, { limitInputPixels: maxPixels, animated, failOn: 'error' });
  try {
    // rotate() applies the EXIF orientation before the metadata goes; sharp writes none by default.
    const original = open().rotate();
    const encoded = await (format === 'jpeg' ? original.jpeg({ quality: 88, mozjpeg: true })
      : format === 'png' ? original.png()
      : format === 'gif' ? original.gif()
      : original.webp({ quality: 88 })).toBuffer({ resolveWithObject: true });
    const thumb = await open().rotate()
      .resize(THUMB_MAX_PX, THUMB_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return {
      data: encoded.data,
      mime: type.mime,
      width: encoded.info.width,
      height: encoded.info.pageHeight ?? encoded.info.height,
      thumb: { data: thumb.data, mime: 'image/webp', width: thumb.info.width, height: thumb.info.pageHeight ?? thumb.info.height },
    };
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw new PixelFloodError(err.message);
    throw new UnsupportedContentError('image cannot be decoded');
  }
}
