// One upload from raw bytes to what gets stored: size limit, type by magic
// bytes, polyglot refusal, safe display name, and for images re-encoding plus a
// thumbnail. Pure apart from sharp; storage and metadata rows are the caller's.
import { AppError } from '../../ports/errors.js';
import { ErrorCode } from '../../../../protocol/codes.js';
import { sniffType, UnsupportedContentError, type FileKind } from './magic.js';
import { MAX_INPUT_PIXELS, PixelFloodError, processImage } from './images.js';
import { safeFileName } from './names.js';

/** Default per-file limit; a per-company setting may lower or raise it later. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface UploadLimits {
  maxBytes: number;
  maxPixels: number;
}
export const DEFAULT_LIMITS: UploadLimits = { maxBytes: DEFAULT_MAX_FILE_BYTES, maxPixels: MAX_INPUT_PIXELS };

export interface PreparedFile {
  name: string;
  mime: string;
  kind: FileKind;
  data: Buffer;
  width?: number;
  height?: number;
  thumb?: { data: Buffer; mime: string };
}

export async function prepareUpload(buf: Buffer, rawName: string, limits: UploadLimits = DEFAULT_LIMITS): Promise<PreparedFile> {
  if (buf.length > limits.maxBytes) throw new AppError(ErrorCode.TooLarge, `file over ${limits.maxBytes} bytes`, 413);
  try {
    const type = sniffType(buf);
    const name = safeFileName(rawName, type.ext);
    if (type.kind !== 'image') return { name, mime: type.mime, kind: 'file', data: buf };
    const img = await processImage(buf, type, limits.maxPixels);
    return {
      name, mime: img.mime, kind: 'image', data: img.data, width: img.width, height: img.height,
      thumb: { data: img.thumb.data, mime: img.thumb.mime },
    };
  } catch (err) {
    if (err instanceof UnsupportedContentError) throw new AppError(ErrorCode.BadRequest, err.message, 415);
    if (err instanceof PixelFloodError) throw new AppError(ErrorCode.TooLarge, err.message, 422);
    throw err;
  }
}
