// EdgeGuard caching: rules are loaded once per company, reloaded after
// invalidate() or the TTL, and a failed load is not cached.
import { describe, expect, it } from 'vitest';
import { EdgeGuard } from '../../server/src/runtime/edge-guard.js';
import { DEFAULT_SERVICE_REGIONS, type EdgeStore, type IpBlock } from '../../server/src/ports/edge-store.js';

function fakeStore() {
  const blocks = new Map<string, IpBlock[]>();
  let loads = 0;
  let failNext = false;
  const store: EdgeStore = {
    async listBlocks(companyId) {
      loads++;
      if (failNext) { failNext = false; throw new Error('database away'); }
      return blocks.get(companyId) ?? [];
    },
    async addBlock(companyId, b) {
      const block = { ...b, id: String(Math.random()), createdAt: 0 };
      blocks.set(companyId, [...(blocks.get(companyId) ?? []), block]);
      return block;
    },
    async removeBlock() { return false; },
    async serviceRegions() { return { ...DEFAULT_SERVICE_REGIONS }; },
    async saveServiceRegions() {},
  };
  return { store, loads: () => loads, failOnce: () => { failNext = true; } };
}

describe('EdgeGuard cache', () => {
  it('loads once, serves from cache, reloads after invalidate() and after the TTL', async () => {
    let t = 1_000;
    const f = fakeStore();
    const guard = new EdgeGuard({ store: f.store, geo: null, ttlMs: 60_000, clock: () => t });
    expect((await guard.evaluate('11111111', '192.0.2.1')).canChat).toBe(true);
    await f.store.addBlock('11111111', { target: '192.0.2.1', kind: 'chat', until: null, createdBy: 'a' });
    // Cached: the new block is not seen yet.
    expect((await guard.evaluate('11111111', '192.0.2.1')).canChat).toBe(true);
    expect(f.loads()).toBe(1);
    guard.invalidate('11111111');
    expect((await guard.evaluate('11111111', '192.0.2.1')).reason).toBe('blocked_chat');
    expect(f.loads()).toBe(2);
    t += 60_000;
    await guard.evaluate('11111111', '192.0.2.1');
    expect(f.loads()).toBe(3);
    // Another company has its own entry.
    expect((await guard.evaluate('22222222', '192.0.2.1')).canChat).toBe(true);
    expect(f.loads()).toBe(4);
  });

  it('a failed load rejects that call and the next call tries again', async () => {
    const f = fakeStore();
    const guard = new EdgeGuard({ store: f.store, geo: null });
    f.failOnce();
    await expect(guard.evaluate('11111111', '192.0.2.1')).rejects.toThrow(/database away/);
    expect((await guard.evaluate('11111111', '192.0.2.1')).canChat).toBe(true);
    expect(f.loads()).toBe(2);
  });
});
