// The tracking beacon's rate limit on the real server with its default limits
// (TRUSTED_PROXIES=127.0.0.1, each scenario from its own forwarded address): a
// normal visitor's page views all pass; a visitor or an address that floods gets
// 429 JSON {error:{code:'rate_limited'}} with Retry-After, and nothing of the
// flood beyond the allowance reaches the tracker.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DEFAULT_BEACON_LIMITS } from '../../server/src/runtime/tracking/beacon-limit.js';

let server: TestServer;
let key: string;

interface Answer { status: number; retryAfter: string | undefined; json: any }

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function beacon(body: Record<string, unknown>, ip: string): Promise<Answer> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/widget/track?key=${key}`, {
      method: 'POST', agent,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(data), 'x-forwarded-for': ip },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const view = (vid: string, i: number, ip: string) =>
  beacon({ type: 'view', vid, url: `https://shop.example/p/${i}`, title: `Page ${i}`, ref: i ? `https://shop.example/p/${i - 1}` : '' }, ip);

/** Sends beacons one after another until the first refusal (or `max`); counts those that passed. */
async function untilRefused(send: (i: number) => Promise<Answer>, max: number): Promise<{ passed: number; refused: Answer | null }> {
  for (let i = 0; i < max; i++) {
    const a = await send(i);
    if (a.status === 429) return { passed: i, refused: a };
    expect(a.status).toBe(200);
  }
  return { passed: max, refused: null };
}

beforeAll(async () => {
  server = await startTestServer({ TRUSTED_PROXIES: '127.0.0.1' });
  key = server.demo!.publicKey;
});
afterAll(async () => {
  agent.destroy();
  await server?.dispose();
});

describe('tracking beacon rate limit (defaults)', () => {
  it('a normal visitor browsing 40 pages quickly (a view and a leave each) loses nothing', async () => {
    for (let i = 0; i < 40; i++) {
      expect((await view('rl-normal-0001', i, '110.185.39.26')).status).toBe(200);
      expect((await beacon({ type: 'leave', vid: 'rl-normal-0001' }, '110.185.39.26')).status).toBe(200);
    }
    await server.tracker.flush();
    const trail = server.tracker.live.get(server.demo!.companyId, 'rl-normal-0001');
    expect(trail!.trail.at(-1)!.url).toBe('https://shop.example/p/39');
  });

  it('one visitor flooding gets 429 with Retry-After after its allowance; another visitor on the same address is unaffected', async () => {
    const ip = '58.60.1.1';
    const { passed, refused } = await untilRefused((i) => view('rl-flood-0001', i, ip), 1000);
    expect(passed).toBeGreaterThanOrEqual(DEFAULT_BEACON_LIMITS.perVisitorPerMinute);
    expect(refused).not.toBeNull();
    expect(refused!.json.error.code).toBe('rate_limited');
    expect(refused!.json.error.message).toMatch(/visitor/);
    expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await view('rl-other-0001', 0, ip)).status).toBe(200);
  });

  it('one address flooding with ever-new visitor ids gets 429 before the key is even looked up', async () => {
    const ip = '61.135.169.125';
    const { passed, refused } = await untilRefused((i) => view(`rl-ip-${String(i).padStart(6, '0')}`, 0, ip), 5000);
    expect(passed).toBeGreaterThanOrEqual(DEFAULT_BEACON_LIMITS.perIpPerMinute);
    expect(refused!.json.error).toEqual({ code: 'rate_limited', message: 'too many tracking beacons from this address' });
    expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);
    // A forged key from that address is refused by the limit too (no lookup).
    const forged = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/api/v1/widget/track?key=forgedkey0001`, {
        method: 'POST', agent, headers: { 'x-forwarded-for': ip, 'content-type': 'text/plain' },
      }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end('{}');
    });
    expect(forged).toBe(429);
    // Other addresses are not affected.
    expect((await view('rl-elsewhere-01', 0, '114.114.114.114')).status).toBe(200);
  });
});
