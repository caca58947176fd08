// Chat extras over the real server: files both ways and declining (E2/E3),
// satisfaction rating (E8), pushed info form (E7), pre-chat form settings (J5)
// and member identity (L1), with the bad input each must refuse.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, login, openAgent, openVisitor, type AgentClient, type Login, type VisitorClient } from '../helpers/clients.js';
import { signMemberToken } from '../../server/src/domain/tracking/member-identity.js';
import { createCompanyWithAdmin } from '../../server/src/domain/signup.js';

let server: TestServer;
let session: Login;
let agent: AgentClient;
let visitor: VisitorClient;
let conversationId: string;
const VID = 'visitor-extras-0001';

async function upload(path: string, body: Buffer, s: Login | null = null) {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (s) { headers.cookie = s.cookie; headers['x-csrf-token'] = s.csrfToken; }
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as any };
}
const png = () => sharp({ create: { width: 640, height: 480, channels: 3, background: '#c84' } }).png().toBuffer();

/** A visitor who said hello and whose chat the demo admin accepted. */
async function chattingVisitor(vid: string, hello: Record<string, unknown> = {}): Promise<{ v: VisitorClient; conversationId: string }> {
  const v = await openVisitor(server.url, server.demo!.publicKey, vid);
  v.send({ type: 'visitor.hello', ...hello });
  await v.waitFor('visitor.ready');
  v.send({ type: 'chat.request', text: 'hello', clientMsgId: 'first' });
  const id = (await v.waitFor('chat.queued')).conversationId;
  agent.send({ type: 'conversation.accept', conversationId: id });
  await v.waitFor('chat.assigned');
  return { v, conversationId: id };
}

beforeAll(async () => {
  server = await startTestServer();
  const demo = server.demo!;
  session = await login(server.url, demo.companyId, demo.agentId, demo.password);
  agent = await openAgent(server.url, session);
  agent.send({ type: 'agent.hello' });
  await agent.waitFor('agent.ready');
  ({ v: visitor, conversationId } = await chattingVisitor(VID));
});

afterAll(async () => {
  await visitor?.close();
  await agent?.close();
  await server?.dispose();
});

describe('E2 E3 files in the chat', () => {
  it('a visitor image reaches the agent with its attachment and is kept in history', async () => {
    const up = await upload(`/api/v1/widget/files?key=${server.demo!.publicKey}&vid=${VID}&conversationId=${conversationId}&name=shot.png`, await png());
    expect(up.status).toBe(201);
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'f1', fileKey: up.json.file.key, ref: 'r-f1' });
    const ack = await visitor.waitFor('message.ack', (f) => f.clientMsgId === 'f1');
    expect(ack.ref).toBe('r-f1');
    const got = await agent.waitFor('message.created', (f) => f.message.clientMsgId === 'f1');
    expect(got.message).toMatchObject({ sender: 'visitor', text: 'shot.png', seq: ack.seq });
    expect(got.message.attachment).toMatchObject({ key: up.json.file.key, kind: 'image', mime: 'image/png', width: 640, height: 480 });
    expect(got.message.attachment!.thumbKey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const history = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items.find((m: any) => m.clientMsgId === 'f1').attachment.key).toBe(up.json.file.key);
    // a retry returns the first result, not a second message
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'f1', fileKey: up.json.file.key, ref: 'r-f1b' });
    expect((await visitor.waitFor('message.ack', (f) => f.ref === 'r-f1b')).seq).toBe(ack.seq);
  });

  it('an agent file reaches the visitor; the agent cannot send the visitor\'s upload as its own', async () => {
    const up = await upload(`/api/v1/files?conversationId=${conversationId}&name=${encodeURIComponent('价目表.txt')}`, Buffer.from('price list\n'), session);
    expect(up.status).toBe(201);
    agent.send({ type: 'file.send', conversationId, clientMsgId: 'af1', fileKey: up.json.file.key });
    const got = await visitor.waitFor('message.created', (f) => f.message.clientMsgId === 'af1');
    expect(got.message).toMatchObject({ sender: 'agent', text: '价目表.txt', attachment: { kind: 'file', name: '价目表.txt' } });

    const vup = await upload(`/api/v1/widget/files?key=${server.demo!.publicKey}&vid=${VID}&conversationId=${conversationId}&name=a.txt`, Buffer.from('x'));
    agent.send({ type: 'file.send', conversationId, clientMsgId: 'af2', fileKey: vup.json.file.key, ref: 'steal' });
    expect((await agent.waitFor('error', (f) => f.ref === 'steal')).code).toBe('not_found');
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'vf9', fileKey: up.json.file.key, ref: 'steal2' });
    expect((await visitor.waitFor('error', (f) => f.ref === 'steal2')).code).toBe('not_found');
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'vf8', fileKey: '../../../../etc/passwd', ref: 'bad-key' });
    expect((await visitor.waitFor('error', (f) => f.ref === 'bad-key')).code).toBe('bad_frame');
  });

  it('the agent declines a visitor file: the visitor is told, the file is gone, history says declined', async () => {
    const up = await upload(`/api/v1/widget/files?key=${server.demo!.publicKey}&vid=${VID}&conversationId=${conversationId}&name=x.png`, await png());
    const key = up.json.file.key as string;
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'f2', fileKey: key });
    await agent.waitFor('message.created', (f) => f.message.clientMsgId === 'f2');
    agent.send({ type: 'file.decline', conversationId, fileKey: key, ref: 'd1' });
    await agent.waitFor('extras.ok', (f) => f.ref === 'd1');
    expect(await visitor.waitFor('file.declined', (f) => f.fileKey === key)).toMatchObject({ conversationId });
    const res = await fetch(`${server.url}/api/v1/widget/files/${key}?key=${server.demo!.publicKey}&vid=${VID}`);
    expect(res.status).toBe(410);
    const history = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/messages`);
    expect(history.json.items.find((m: any) => m.clientMsgId === 'f2').attachment.declined).toBe(true);
    visitor.send({ type: 'file.send', conversationId, clientMsgId: 'f3', fileKey: key, ref: 'again' });
    expect((await visitor.waitFor('error', (f) => f.ref === 'again')).code).toBe('conflict');
  });
});

describe('E8 satisfaction rating', () => {
  it('the agent pushes the survey; the visitor rates; the console hears it and the REST extras keep it', async () => {
    agent.send({ type: 'rating.push', conversationId, ref: 'p1' });
    await agent.waitFor('extras.ok', (f) => f.ref === 'p1');
    await visitor.waitFor('rating.requested');
    visitor.send({ type: 'rating.submit', conversationId, score: 4, comment: '<img src=x onerror=alert(1)> ok', ref: 'rt' });
    expect(await visitor.waitFor('rating.saved', (f) => f.ref === 'rt')).toMatchObject({ score: 4, comment: '<img src=x onerror=alert(1)> ok' });
    const rated = await agent.waitFor('conversation.rated');
    expect(rated.rating.score).toBe(4);
    const extras = await api(server.url, session, 'GET', `/api/v1/conversations/${conversationId}/extras`);
    expect(extras.json.rating).toMatchObject({ score: 4, comment: '<img src=x onerror=alert(1)> ok' });
  });

  it('refuses scores out of range and other visitors\' conversations; a rating after the end replaces the first', async () => {
    for (const score of [0, 6, 4.5, '5']) {
      visitor.send({ type: 'rating.submit', conversationId, score, ref: `bad-${score}` });
      expect((await visitor.waitFor('error', (f) => f.ref === `bad-${score}`)).code).toBe('bad_frame');
    }
    const stranger = await openVisitor(server.url, server.demo!.publicKey, 'visitor-stranger-01');
    stranger.send({ type: 'visitor.hello' });
    await stranger.waitFor('visitor.ready');
    stranger.send({ type: 'rating.submit', conversationId, score: 1, ref: 'x' });
    expect((await stranger.waitFor('error', (f) => f.ref === 'x')).code).toBe('not_found');
    await stranger.close();

    const { v, conversationId: id } = await chattingVisitor('visitor-extras-rate-after');
    v.send({ type: 'rating.submit', conversationId: id, score: 2, ref: 'a' });
    await v.waitFor('rating.saved', (f) => f.ref === 'a');
    v.send({ type: 'chat.end', conversationId: id });
    await v.waitFor('chat.ended');
    v.send({ type: 'rating.submit', conversationId: id, score: 5, comment: 'after all', ref: 'b' });
    expect(await v.waitFor('rating.saved', (f) => f.ref === 'b')).toMatchObject({ score: 5 });
    const extras = await api(server.url, session, 'GET', `/api/v1/conversations/${id}/extras`);
    expect(extras.json.rating).toMatchObject({ score: 5, comment: 'after all' });
    await v.close();
  });
});

describe('E7 info form and J5 pre-chat settings', () => {
  it('the agent pushes the form; answers (HTML kept as text) reach the console and the customer record', async () => {
    agent.send({ type: 'form.push', conversationId, ref: 'fp' });
    const req = await visitor.waitFor('form.requested');
    expect(req.fields.map((f) => f.id)).toEqual(['name', 'phone', 'email', 'org']);
    const name = '<script>alert("x")</script>{{ 7*7 }}';
    visitor.send({ type: 'form.submit', conversationId, fields: { name, phone: '+86 138 0000 0000', email: 'li@example.com' }, ref: 'fs' });
    await visitor.waitFor('form.saved', (f) => f.ref === 'fs');
    const prof = await agent.waitFor('visitor.profile', (f) => f.profile.fields.name !== undefined);
    expect(prof.profile.fields).toEqual({ name, phone: '+86 138 0000 0000', email: 'li@example.com' });
    const customer = await server.stores.tools.customers.byVisitor(server.demo!.companyId, VID);
    expect(customer).toMatchObject({ name, phone: '+86 138 0000 0000', email: 'li@example.com' });
  });

  it('refuses unknown fields, bad email, oversize answers, and pushes to chats that are not yours', async () => {
    const bad: Array<[Record<string, string>, string]> = [
      [{ password: 'x' }, 'bad_request'], [{ email: 'not-an-email' }, 'bad_request'], [{ name: 'x'.repeat(501) }, 'bad_frame'], [{ 'Bad Key': 'x' }, 'bad_request'],
    ];
    for (const [fields, code] of bad) {
      const ref = `b${Math.random().toString(36).slice(2, 8)}`;
      visitor.send({ type: 'form.submit', conversationId, fields, ref });
      expect((await visitor.waitFor('error', (f) => f.ref === ref)).code).toBe(code);
    }
    const { company } = await createCompanyWithAdmin(server.stores.accounts, { name: 'Other Co', adminName: 'Olga', password: 'other-password-1' });
    const otherSession = await login(server.url, company.id, 'admin', 'other-password-1');
    const other = await openAgent(server.url, otherSession);
    other.send({ type: 'agent.hello' });
    await other.waitFor('agent.ready');
    other.send({ type: 'form.push', conversationId, ref: 'o1' });
    expect((await other.waitFor('error', (f) => f.ref === 'o1')).code).toBe('not_found');
    other.send({ type: 'rating.push', conversationId, ref: 'o2' });
    expect((await other.waitFor('error', (f) => f.ref === 'o2')).code).toBe('not_found');
    expect((await api(server.url, otherSession, 'GET', `/api/v1/conversations/${conversationId}/extras`)).status).toBe(404);
    await other.close();
  });

  it('admins set the pre-chat form; the widget reads it by company key; bad settings are refused', async () => {
    const off = await api(server.url, null, 'GET', `/api/v1/widget/prechat?key=${server.demo!.publicKey}`);
    expect(off.json).toMatchObject({ enabled: false });
    const settings = {
      prechat: {
        enabled: true, welcome: 'Tell us about you',
        fields: [{ id: 'name', label: 'Name', required: true }, { id: 'phone', label: 'Phone', required: false }],
        questions: [{ id: 'sales', label: 'Buying', groupId: 'sales' }, { id: 'support', label: 'Support', groupId: null }],
      },
      infoForm: { fields: [{ id: 'name', label: 'Name', required: true }] },
    };
    const put = await api(server.url, session, 'PUT', '/api/v1/settings/chat-forms', settings);
    expect(put.status).toBe(200);
    const on = await api(server.url, null, 'GET', `/api/v1/widget/prechat?key=${server.demo!.publicKey}`);
    expect(on.json).toEqual(settings.prechat);
    for (const broken of [
      { ...settings, prechat: { ...settings.prechat, fields: [{ id: '<b>', label: 'x', required: true }] } },
      { ...settings, prechat: { ...settings.prechat, questions: [{ id: 'q', label: 'x', groupId: '../etc' }] } },
      { ...settings, infoForm: { fields: [] } },
    ]) expect((await api(server.url, session, 'PUT', '/api/v1/settings/chat-forms', broken)).status).toBe(400);
    expect((await api(server.url, null, 'GET', '/api/v1/widget/prechat?key=nosuchcompanykey')).status).toBe(403);
    visitor.send({ type: 'form.submit', conversationId, fields: { question: 'sales', name: 'Han' }, ref: 'pq' });
    await visitor.waitFor('form.saved', (f) => f.ref === 'pq');
    visitor.send({ type: 'form.submit', conversationId, fields: { question: 'nope' }, ref: 'pq2' });
    expect((await visitor.waitFor('error', (f) => f.ref === 'pq2')).code).toBe('bad_request');
  });
});

describe('L1 member identity', () => {
  it('a valid token makes the visitor the member; forged, expired and foreign-secret tokens make an ordinary visitor', async () => {
    const companyId = server.demo!.companyId;
    const { memberSecret } = await server.tracker.trackingSettings(companyId);
    const now = Math.floor(Date.now() / 1000);
    const good = signMemberToken({ memberId: 'u-1001', name: '张三', data: { level: 'VIP' }, exp: now + 600 }, memberSecret);
    const { v, conversationId: id } = await chattingVisitor('visitor-member-0001', { memberToken: good });
    const queued = agent.all('conversation.updated').map((f) => f.conversation).find((c) => c.id === id);
    expect(queued?.visitorName).toBe('张三');
    const extras = await api(server.url, session, 'GET', `/api/v1/conversations/${id}/extras`);
    expect(extras.json.profile.member).toMatchObject({ id: 'u-1001', name: '张三', data: { level: 'VIP' } });
    await v.close();

    const [body] = good.split('.');
    const forged = [
      `${Buffer.from(JSON.stringify({ memberId: 'admin', name: 'Boss', exp: now + 600 })).toString('base64url')}.${good.split('.')[1]}`,
      signMemberToken({ memberId: 'u-2', name: 'Late', exp: now - 3600 }, memberSecret),
      signMemberToken({ memberId: 'u-3', name: 'Other', exp: now + 600 }, 'some-other-company-secret-0123456789'),
      `${body}.`, 'garbage',
    ];
    for (const [i, token] of forged.entries()) {
      const vid = `visitor-forged-000${i}`;
      const { v: fv, conversationId: fid } = await chattingVisitor(vid, { memberToken: token });
      const ex = await api(server.url, session, 'GET', `/api/v1/conversations/${fid}/extras`);
      expect(ex.json.profile.member, token).toBeNull();
      const conv = await api(server.url, session, 'GET', `/api/v1/conversations/${fid}`);
      expect(conv.json.visitorName).toBe(`Visitor ${vid.slice(-4)}`);
      fv.send({ type: 'chat.end', conversationId: fid });
      await fv.close();
    }
    // rotating the secret (admins) retires tokens signed with the old one
    const rotated = await api(server.url, session, 'POST', '/api/v1/tracking/member-secret');
    expect(rotated.status).toBe(200);
    expect(rotated.json.memberSecret).not.toBe(memberSecret);
  });
});
