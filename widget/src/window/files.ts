// E2/E3 on the visitor side: upload a file (picked, pasted or captured from the
// screen) to /api/v1/widget/files on our own origin, and the URLs to show it.
// The server decides the type by magic bytes; the name only labels it.
import type { Attachment } from '../../../protocol/schema-common.js';

export interface FileApi {
  upload(conversationId: string, blob: Blob, name: string): Promise<Attachment>;
  url(key: string): string;
}

export function fileApi(key: string, vid: string): FileApi {
  const q = `key=${encodeURIComponent(key)}&vid=${encodeURIComponent(vid)}`;
  return {
    async upload(conversationId, blob, name) {
      const res = await fetch(`/api/v1/widget/files?${q}&conversationId=${encodeURIComponent(conversationId)}&name=${encodeURIComponent(name.slice(0, 200))}`, {
        method: 'POST', body: blob, credentials: 'omit', headers: { 'content-type': 'application/octet-stream' },
      });
      if (!res.ok) throw new Error(`upload ${res.status}`);
      return ((await res.json()) as { file: Attachment }).file;
    },
    url: (fileKey) => `/api/v1/widget/files/${encodeURIComponent(fileKey)}?${q}`,
  };
}

/** True where the browser offers screen capture (not on most phones). */
export const canCapture = (): boolean => !!(navigator.mediaDevices && 'getDisplayMedia' in navigator.mediaDevices);

/** One frame of a screen, window or tab the visitor picks, as a PNG (E3). */
export async function captureScreen(): Promise<Blob> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  try {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no frame'))), 'image/png'));
  } finally {
    for (const t of stream.getTracks()) t.stop();
  }
}

/** Files in a paste event (a copied screenshot arrives as an image file). */
export function pastedFiles(ev: ClipboardEvent): File[] {
  const items = ev.clipboardData ? Array.from(ev.clipboardData.files) : [];
  return items.filter((f) => f.size > 0);
}
