// N tracked visitors on a company's site, for the console's visitor list: each
// does what the widget does — a page-view beacon (which lists the visitor) and
// a socket with visitor.hello that stays open (which keeps them listed).
// Sockets and beacons spread over 127.0.0.2–254 (the beacon limit is per IP).
// Used by the console benchmark and the visitor-list e2e test.
import http from 'node:http';
import { JsonSocket, loopbackSource, mapLimit } from './ws-client.js';

export interface PageView { url: string; title: string; ref?: string }

/** POST /api/v1/widget/track, as navigator.sendBeacon sends it. */
export function trackView(baseUrl: string, publicKey: string, vid: string, view: PageView, localAddress?: string): Promise<void> {
  const body = JSON.stringify({ vid, url: view.url, title: view.title, ref: view.ref ?? '', lang: 'zh-CN' });
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}/api/v1/widget/track?key=${publicKey}`, {
      method: 'POST', headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' },
      ...(localAddress ? { localAddress } : {}),
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`track ${vid}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface LiveVisitors {
  sockets: JsonSocket[];
  ids: string[];
  close(): void;
}

const ENGINES = ['https://www.baidu.com/s?wd=%E7%99%BB%E5%B1%B1%E9%9E%8B', 'https://www.so.com/s?q=boots', 'https://www.sogou.com/web?query=tent', ''];

/** Visitor ids are `${prefix}-0000` … in arrival order. */
export async function openLiveVisitors(url: string, publicKey: string, n: number, prefix: string, concurrency = 50): Promise<LiveVisitors> {
  const wsBase = url.replace(/^http/, 'ws');
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
  const sockets = await mapLimit(ids, concurrency, async (vid, i) => {
    const s = await JsonSocket.open(`${wsBase}/ws/visitor?key=${publicKey}&vid=${vid}`, { localAddress: loopbackSource(i) });
    const ready = s.waitFor((f) => f.type === 'visitor.ready', 30_000, `visitor.ready of ${vid}`);
    s.send({ type: 'visitor.hello', page: { url: `https://shop.example/p/${i % 500}`, title: `Product ${i % 500}`, referrer: ENGINES[i % ENGINES.length] } });
    await ready;
    await trackView(url, publicKey, vid, { url: `https://shop.example/p/${i % 500}`, title: `Product ${i % 500}`, ref: ENGINES[i % ENGINES.length] }, loopbackSource(i));
    return s;
  });
  return { sockets, ids, close: () => { for (const s of sockets) s.ws.terminate(); } };
}
