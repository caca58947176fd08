// E2/E3 files both ways over the real server: typed by bytes, stored under
// random keys, served safely, scoped to the company and (for visitors) to the
// visitor's own conversation.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openVisitor, type Login, type VisitorClient } from '../helpers/clients.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';

let server: TestServer;
let session: Login;
let other: { publicKey: string; session: Login };
let visitor: VisitorClient;
let conversationId: string;
const VID = 'visitor-files-0001';

async function upload(path: string, body: Buffer, s: Login | null = null) {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (s) { headers.cookie = s.cookie; headers['x-csrf-token'] = s.csrfToken; }
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json };
}
const widgetUpload = (body: Buffer, name: string, opts: { key?: string; vid?: string; conv?: string } = {}) =>
  upload(`/api/v1/widget/files?key=${opts.key ?? server.demo!.publicKey}&vid=${opts.vid ?? VID}&conversationId=${opts.conv ?? conversationId}&name=${encodeURIComponent(name)}`, body);
const agentUpload = (body: Buffer, name: string, s: Login = session, conv = conversationId) =>
  upload(`/api/v1/files?conversationId=${conv}&name=${encodeURIComponent(name)}`, body, s);
const get = (path: string, s: Login | null = null) => fetch(`${server.url}${path}`, { headers: s ? { cookie: s.cookie } : {} });

/** Blobs on disk under <dataDir>/files, temporary files included. */
const blobCount = () => {
  const root = path.join(server.dataDir, 'files');
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).filter((p) => fs.statSync(path.join(root, String(p))).isFile()).length : 0;
};

const photo = () => sharp({ create: { width: 800, height: 600, channels: 3, background: '#48c' } })
  .jpeg().withExif({ IFD0: { Make: 'SpyCam' } }).toBuffer();

function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
  other = { publicKey: company.publicKey, session: await login(server.url, company.id, 'admin', 'other-password-1') };
  visitor = await openVisitor(server.url, demo.publicKey, VID);
  visitor.send({ type: 'visitor.hello' });
  await visitor.waitFor('visitor.ready');
  visitor.send({ type: 'chat.request' });
  conversationId = (await visitor.waitFor('chat.queued')).conversationId;
});

afterAll(async () => {
  await visitor?.close();
  await server?.dispose();
});

describe('E2 E3 uploads', () => {
  it('an agent sends an image: re-encoded without EXIF, thumbnail ≤ 320 px, served inline with nosniff and CSP', async () => {
    const up = await agentUpload(await photo(), 'screenshot.JPEG');
    expect(up.status).toBe(201);
    const f = up.json.file;
    expect(f).toMatchObject({ name: 'screenshot.jpg', mime: 'image/jpeg', kind: 'image', width: 800, height: 600 });
    expect(f.key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(f.thumbKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await server.stores.fileMeta.fileMeta(server.demo!.companyId, f.key)).toMatchObject({ uploader: 'agent', conversationId });

    const res = await get(`/api/v1/files/${f.key}`, session);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(f.size);
    expect(bytes.includes(Buffer.from('SpyCam'))).toBe(false);

    const thumb = await get(`/api/v1/widget/files/${f.thumbKey}?key=${server.demo!.publicKey}&vid=${VID}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(320);
  });

  it('a visitor sends a text file: name sanitised, served as an attachment to both sides', async () => {
    const up = await widgetUpload(Buffer.from('订单 42 <b>急</b>\n'), '../../etc/passwd');
    expect(up.status).toBe(201);
    expect(up.json.file).toMatchObject({ name: 'passwd.txt', kind: 'file', mime: 'text/plain; charset=utf-8' });
    expect(up.json.file.thumbKey).toBeUndefined();
    const weird = await widgetUpload(Buffer.from('hello'), 'a\u0000b\u001b\u202Ecod.exe');
    expect(weird.json.file.name).toBe('abcod.txt');

    for (const res of [await get(`/api/v1/widget/files/${up.json.file.key}?key=${server.demo!.publicKey}&vid=${VID}`),
      await get(`/api/v1/files/${up.json.file.key}`, session)]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="passwd.txt"/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe('订单 42 <b>急</b>\n');
    }
  });

  it('refuses SVG with script, HTML, a polyglot JPEG+ZIP and a pixel flood; nothing is stored', async () => {
    const blobs = blobCount();
    const svg = await widgetUpload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'cat.png');
    expect(svg.status).toBe(415);
    expect(svg.json.error.code).toBe('bad_request');
    expect((await agentUpload(Buffer.from('<!doctype html><script>x</script>'), 'a.txt')).status).toBe(415);
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('x.html')]);
    expect((await widgetUpload(Buffer.concat([await photo(), zip]), 'nice.jpg')).status).toBe(415);
    expect((await widgetUpload(pngBomb(30_000, 30_000), 'bomb.png')).status).toBe(422);
    expect((await widgetUpload(Buffer.from('MZ\x90\x00', 'latin1'), 'setup.pdf')).status).toBe(415);
    expect(blobCount()).toBe(blobs);
  });

  it('refuses a body over 10 MB with 413 JSON', async () => {
    const big = await widgetUpload(Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('too_large');
  });
});

describe('E2 who may upload and read', () => {
  it('a forged company key is 403 JSON; another visitor or a malformed id is refused', async () => {
    const forged = await widgetUpload(Buffer.from('x'), 'a.txt', { key: 'forgedkeyforgedkey' });
    expect(forged.status).toBe(403);
    expect(forged.json.error.code).toBe('forbidden');
    expect((await widgetUpload(Buffer.from('x'), 'a.txt', { vid: 'visitor-someone-else' })).status).toBe(403);
    expect((await widgetUpload(Buffer.from('x'), 'a.txt', { conv: 'no-such-conversation' })).status).toBe(404);
    expect((await widgetUpload(Buffer.from('x'), 'a.txt', { vid: '../x' })).status).toBe(400);
    // Our conversation id under the other company's key does not exist there.
    expect((await widgetUpload(Buffer.from('x'), 'a.txt', { key: other.publicKey })).status).toBe(404);
  });

  it('agents need a session and the CSRF header', async () => {
    expect((await upload(`/api/v1/files?conversationId=${conversationId}&name=a.txt`, Buffer.from('x'))).status).toBe(401);
    const noCsrf = await fetch(`${server.url}/api/v1/files?conversationId=${conversationId}`, { method: 'POST', headers: { cookie: session.cookie }, body: 'x' });
    expect(noCsrf.status).toBe(403);
    expect((await agentUpload(Buffer.from('x'), 'a.txt', other.session)).status).toBe(404);
  });

  it('another company\'s agent, another visitor, and a guessed key all get 404', async () => {
    const { json } = await agentUpload(Buffer.from('secret notes'), 'notes.txt');
    const key = json.file.key as string;
    expect((await get(`/api/v1/files/${key}`, other.session)).status).toBe(404);
    expect((await get(`/api/v1/widget/files/${key}?key=${other.publicKey}&vid=${VID}`)).status).toBe(404);
    expect((await get(`/api/v1/widget/files/${key}?key=${server.demo!.publicKey}&vid=visitor-someone-else`)).status).toBe(404);
    expect((await get(`/api/v1/files/${'A'.repeat(32)}`, session)).status).toBe(404);
    expect((await get(`/api/v1/files/..%2F..%2Fdemo.json`, session)).status).toBe(404);
    expect((await get(`/api/v1/widget/files/${key}?key=forgedkeyforgedkey&vid=${VID}`)).status).toBe(403);
  });

  it('an agent declines a visitor\'s file: the visitor then sees it refused (410), agents\' own files cannot be declined', async () => {
    const { json } = await widgetUpload(Buffer.from('unwanted'), 'spam.txt');
    const key = json.file.key as string;
    expect((await api(server.url, other.session, 'POST', `/api/v1/files/${key}/decline`)).status).toBe(404);
    const declined = await api(server.url, session, 'POST', `/api/v1/files/${key}/decline`);
    expect(declined.status).toBe(200);
    expect(declined.json.file).toMatchObject({ key, declined: true });
    const res = await get(`/api/v1/widget/files/${key}?key=${server.demo!.publicKey}&vid=${VID}`);
    expect(res.status).toBe(410);
    expect((await server.stores.fileMeta.fileMeta(server.demo!.companyId, key))?.declined).toBe(true);
    const mine = await agentUpload(Buffer.from('from the agent'), 'reply.txt');
    expect((await api(server.url, session, 'POST', `/api/v1/files/${mine.json.file.key}/decline`)).status).toBe(409);
  });

  it('no uploads into an ended conversation', async () => {
    const v = await openVisitor(server.url, server.demo!.publicKey, 'visitor-files-ended');
    v.send({ type: 'visitor.hello' });
    await v.waitFor('visitor.ready');
    v.send({ type: 'chat.request' });
    const conv = (await v.waitFor('chat.queued')).conversationId;
    v.send({ type: 'chat.end', conversationId: conv });
    await v.waitFor('chat.ended');
    const res = await widgetUpload(Buffer.from('late'), 'late.txt', { vid: 'visitor-files-ended', conv });
    expect(res.status).toBe(409);
    await v.close();
  });
});
