// EdgeGuard: may this address see the widget and start a chat (C3 blocks, C4
// service regions)? Rules are loaded per company and cached; routes that change
// them call invalidate(). A TTL bounds staleness on other nodes of a cluster,
// which do not hear about the change. The decision is domain/edge/blocking.ts.
import { evaluateEdge, type EdgeDecision, type EdgeRules, type VisitorRegion } from '../domain/edge/blocking.js';
import type { GeoLookup } from '../domain/tracking/geo.js';
import type { EdgeStore } from '../ports/edge-store.js';

export interface EdgeGuardOptions {
  store: EdgeStore;
  /** null = regions unknown (allow-lists then let visitors through, see allowUnknown) */
  geo: GeoLookup | null;
  /** how long loaded rules are trusted without an invalidate(); default 60 s */
  ttlMs?: number;
  clock?: () => number;
}

interface Entry { rules: Promise<EdgeRules>; loadedAt: number }

export class EdgeGuard {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(private readonly opts: EdgeGuardOptions) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.clock = opts.clock ?? Date.now;
  }

  /** `now` decides which blocks are still in force (their `until`). */
  async evaluate(companyId: string, ip: string, now: number = this.clock()): Promise<EdgeDecision> {
    const rules = await this.rules(companyId);
    const geo = rules.regions?.enabled ? this.opts.geo?.lookup(ip) ?? null : null;
    const region: VisitorRegion | null = geo ? { country: geo.country, province: geo.province, city: geo.city } : null;
    return evaluateEdge(rules, { ip, region, now });
  }

  /** Forget a company's rules; the next evaluate() reloads them. */
  invalidate(companyId: string): void {
    this.cache.delete(companyId);
  }

  private rules(companyId: string): Promise<EdgeRules> {
    const hit = this.cache.get(companyId);
    if (hit && this.clock() - hit.loadedAt < this.ttlMs) return hit.rules;
    const rules = this.load(companyId);
    const entry: Entry = { rules, loadedAt: this.clock() };
    this.cache.set(companyId, entry);
    // A failed load must not stick: the next call tries again.
    rules.catch(() => { if (this.cache.get(companyId) === entry) this.cache.delete(companyId); });
    return rules;
  }

  private async load(companyId: string): Promise<EdgeRules> {
    const [blocks, regions] = await Promise.all([
      this.opts.store.listBlocks(companyId),
      this.opts.store.serviceRegions(companyId),
    ]);
    return {
      blocks: blocks.map((b) => ({ target: b.target, mode: b.kind, until: b.until })),
      regions: regions.mode === 'off' ? null : {
        enabled: true, mode: regions.mode, regions: regions.regions, deniedIcon: regions.deniedIcon,
      },
    };
  }
}
