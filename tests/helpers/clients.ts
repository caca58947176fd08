// Real WebSocket and HTTP clients for integration tests: a logged-in agent and a
// visitor, each keeping every frame it received so tests can wait for one.
import WebSocket from 'ws';
import type { AgentIn, AgentOut, VisitorIn, VisitorOut } from '../../protocol/index.js';

type Frame = { type: string } & Record<string, any>;

export class FrameClient<In extends { type: string }, Out extends Frame> {
  readonly frames: Out[] = [];
  private waiters: Array<{ pred: (f: Out) => boolean; resolve: (f: Out) => void }> = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Out;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => (w.pred(f) ? (w.resolve(f), false) : true));
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: String(reason) }; });
  }

  static async open<I extends { type: string }, O extends Frame>(url: string, headers: Record<string, string> = {}): Promise<FrameClient<I, O>> {
    const ws = new WebSocket(url, { headers });
    const client = new FrameClient<I, O>(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return client;
  }

  send(frame: Omit<In, 'v'> | Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ v: 1, ...frame }));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Resolves with the first frame (already received or future) matching pred. */
  waitFor<T extends Out['type']>(type: T, pred: (f: Extract<Out, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<Out, { type: T }>> {
    const match = (f: Out) => f.type === type && pred(f as Extract<Out, { type: T }>);
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen as Extract<Out, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}; got ${this.frames.map((f) => f.type).join(',')}`)), timeoutMs);
      this.waiters.push({ pred: match, resolve: (f) => { clearTimeout(timer); resolve(f as Extract<Out, { type: T }>); } });
    });
  }

  /** Frames of a type received so far. */
  all<T extends Out['type']>(type: T): Array<Extract<Out, { type: T }>> {
    return this.frames.filter((f) => f.type === type) as Array<Extract<Out, { type: T }>>;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => { this.ws.once('close', () => resolve()); this.ws.close(); });
  }
}

export type VisitorClient = FrameClient<VisitorIn, VisitorOut>;
export type AgentClient = FrameClient<AgentIn, AgentOut>;

export function openVisitor(baseUrl: string, publicKey: string, visitorId: string): Promise<VisitorClient> {
  return FrameClient.open(`${baseUrl.replace(/^http/, 'ws')}/ws/visitor?key=${publicKey}&vid=${visitorId}`);
}

export interface Login { cookie: string; csrfToken: string; body: any }

export async function login(baseUrl: string, companyId: string, agentId: string, password: string): Promise<Login> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyId, agentId, password }),
  });
  const body = (await res.json()) as any;
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrfToken: body.csrfToken, body };
}

export function openAgent(baseUrl: string, session: Login): Promise<AgentClient> {
  return FrameClient.open(`${baseUrl.replace(/^http/, 'ws')}/ws/agent`, { cookie: session.cookie, origin: baseUrl });
}

export async function api(baseUrl: string, session: Login | null, method: string, pathname: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (session) { headers.cookie = session.cookie; headers['x-csrf-token'] = session.csrfToken; }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${pathname}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}
