// I1/C1/C2/L1 visit tracking: a widget page view in → visit sessionisation →
// page_views + visits rows to the analytics sink → the live visitor registry.
//
// Visit state lives in memory per visitor and is written behind to Postgres
// (visitors.visit) about once a second, so a busy site costs one upsert per
// company per flush, not one per page view, and a restart continues visits.
// Do-Not-Track (when the company honours it) stores nothing: no rows, no
// visitor record; the visitor still shows in the live list while on the site.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { AnalyticsSink } from '../../ports/analytics-sink.js';
import type { StoredVisit, TrackingSettings, VisitorRecord, VisitorStore } from '../../ports/visitor-store.js';
import type { HeaderBag } from '../../domain/edge/client-ip.js';
import { regionLabel, type GeoLookup } from '../../domain/tracking/geo.js';
import { verifyMemberToken, type Member } from '../../domain/tracking/member-identity.js';
import { buildPageViewRow, buildVisitRow, honourDnt, type PageViewInput } from '../../domain/tracking/page-view.js';
import type { UaParser } from '../../domain/tracking/user-agent.js';
import { touchVisit, VISIT_IDLE_MS, type VisitState } from '../../domain/tracking/visits.js';
import { LiveRegistry, type LiveRegistryOptions } from './live-registry.js';

export interface TrackView extends Omit<PageViewInput, 'at'> {
  headers: HeaderBag;
  memberToken?: string | null;
  /** false: C3 "block visitor" — recorded for analytics, not listed to agents (default true) */
  listed?: boolean;
}

export interface TrackResult {
  tracked: boolean;
  visitId: string;
  visitNumber: number;
  isNewVisit: boolean;
  member: boolean;
}

export interface VisitorTrackerOptions {
  store: VisitorStore;
  sink: AnalyticsSink;
  geo: GeoLookup;
  ua: UaParser;
  logger: Logger;
  publish: LiveRegistryOptions['publish'];
  isConnected?: LiveRegistryOptions['isConnected'];
  chatAgent?: LiveRegistryOptions['chatAgent'];
  /** whether anyone watches the company's feed (skips snapshots nobody reads) */
  hasWatchers?(companyId: string): boolean;
  now?: () => number;
  idleMs?: number;
  graceMs?: number;
  leaveGraceMs?: number;
  sweepMs?: number;
  snapshotMs?: number;
  flushMs?: number;
  settingsTtlMs?: number;
}

interface Known {
  record: VisitorRecord;
  /** false until saved: a DNT visitor is never saved */
  stored: boolean;
}

const SETTINGS_TTL_MS = 30_000;

export class VisitorTracker {
  /** The clock; tests may replace it to move time. */
  now: () => number;
  readonly live: LiveRegistry;
  private readonly known = new Map<string, Known>();
  private readonly loading = new Map<string, Promise<Known>>();
  private readonly dirty = new Map<string, Map<string, VisitorRecord>>();
  private readonly settings = new Map<string, { value: Promise<TrackingSettings>; at: number }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly idleMs: number;
  private readonly log: Logger;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly o: VisitorTrackerOptions) {
    this.now = o.now ?? Date.now;
    this.idleMs = o.idleMs ?? VISIT_IDLE_MS;
    this.log = o.logger.child({ component: 'visitor-tracker' });
    this.live = new LiveRegistry({
      now: () => this.now(), publish: o.publish, isConnected: o.isConnected, chatAgent: o.chatAgent,
      graceMs: o.graceMs ?? 20_000, leaveGraceMs: o.leaveGraceMs ?? 5_000, idleMs: this.idleMs, maxTrail: 50,
    });
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(() => { try { void fn(); } catch (err) { this.log.error({ err }, 'tracker timer failed'); } }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(o.sweepMs ?? 1_000, () => this.sweep());
    every(o.snapshotMs ?? 30_000, () => this.snapshots());
    every(o.flushMs ?? 1_000, () => this.saveDirty());
  }

  async trackingSettings(companyId: string): Promise<TrackingSettings> {
    const hit = this.settings.get(companyId);
    if (hit && this.now() - hit.at < (this.o.settingsTtlMs ?? SETTINGS_TTL_MS)) return hit.value;
    const value = this.o.store.trackingSettings(companyId);
    this.settings.set(companyId, { value, at: this.now() });
    value.catch(() => this.settings.delete(companyId));
    return value;
  }

  async setHonourDnt(companyId: string, on: boolean): Promise<TrackingSettings> {
    const s = await this.o.store.setHonourDnt(companyId, on);
    this.settings.set(companyId, { value: Promise.resolve(s), at: this.now() });
    return s;
  }

  async rotateMemberSecret(companyId: string): Promise<TrackingSettings> {
    const s = await this.o.store.rotateMemberSecret(companyId);
    this.settings.set(companyId, { value: Promise.resolve(s), at: this.now() });
    return s;
  }

  async pageView(v: TrackView): Promise<TrackResult> {
    const settings = await this.trackingSettings(v.companyId);
    const at = this.now();
    const member = this.member(v, settings, at);
    const dnt = honourDnt(settings, v.headers);
    const known = await this.load(v.companyId, v.visitorId, at);
    const rec = known.record;
    const visit = rec.visit;
    const { row, step } = buildPageViewRow({ ...v, at }, {
      geo: this.o.geo, ua: this.o.ua,
      visits: { previous: previousState(rec), newVisitId: newVisitId, idleMs: this.idleMs },
    });
    const landing = step.isNewVisit || !visit ? row : visit.landing;
    const chatted = (!step.isNewVisit && visit?.chatted === true) || this.o.chatAgent?.(v.companyId, v.visitorId) !== undefined;
    const next: StoredVisit = { state: step.state, landing, exit: { url: row.url, path: row.path }, chatted };
    const region = regionLabel(row);
    known.record = {
      ...rec, name: member ? (member.name ?? member.memberId) : rec.name, lastSeen: at, visitCount: step.state.visitCount,
      ip: row.ip, region, userAgent: v.userAgent ?? '', language: row.language, visit: next,
    };
    if (!dnt) {
      this.o.sink.record({ table: 'page_views', companyId: v.companyId, row: { ...row } });
      this.o.sink.record({ table: 'visits', companyId: v.companyId, row: { ...buildVisitRow(landing, step.state, next.exit, chatted) } });
      this.markDirty(v.companyId, known.record);
    }
    // A visitor blocked while on the site leaves the list as if the page had closed.
    if (v.listed === false) this.live.leave(v.companyId, v.visitorId);
    else this.live.view(v.companyId, {
      id: v.visitorId, name: known.record.name, member: member !== null, visitCount: step.state.visitCount,
      ip: row.ip, region, engine: landing.search_engine, keyword: landing.keyword,
      enteredAt: step.state.startedAt, lastSeenAt: at, page: { url: row.url, title: row.title }, pages: step.state.pages,
      language: row.language, browser: row.browser, os: row.os, device: row.device,
    }, { at, url: row.url, title: row.title, referrer: row.referrer, engine: row.search_engine, keyword: row.keyword }, step.isNewVisit);
    return { tracked: !dnt, visitId: step.state.visitId, visitNumber: step.visitNumber, isNewVisit: step.isNewVisit, member: member !== null };
  }

  /** The leave beacon: ends the page's time (visits.ended_at) and starts the departure grace. */
  async leave(companyId: string, visitorId: string, headers: HeaderBag): Promise<void> {
    this.live.leave(companyId, visitorId);
    const known = this.known.get(key(companyId, visitorId));
    const visit = known?.record.visit;
    if (!known || !visit) return;
    const at = this.now();
    const state = touchVisit(visit.state, at, { idleMs: this.idleMs });
    if (state === visit.state) return;
    known.record = { ...known.record, lastSeen: at, visit: { ...visit, state } };
    if (honourDnt(await this.trackingSettings(companyId), headers)) return;
    this.o.sink.record({ table: 'visits', companyId, row: { ...buildVisitRow(visit.landing, state, visit.exit, visit.chatted) } });
    this.markDirty(companyId, known.record);
  }

  /** Writes the visitor records changed since the last flush, then the analytics rows. */
  async flush(): Promise<void> {
    await this.saveDirty();
    await this.o.sink.flush();
  }

  private saveDirty(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeDirty());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.saveDirty();
  }

  private member(v: TrackView, settings: TrackingSettings, at: number): Member | null {
    if (!v.memberToken) return null;
    const secrets = settings.previousMemberSecret ? [settings.memberSecret, settings.previousMemberSecret] : [settings.memberSecret];
    const r = verifyMemberToken(v.memberToken, { secrets, now: at });
    if (r.ok) return r.member;
    // Never the token itself: it is a credential until it expires.
    this.log.info({ companyId: v.companyId, visitorId: v.visitorId, reason: r.reason }, 'member token refused; ordinary visitor');
    return null;
  }

  /** The visitor's record from memory, else Postgres, else a new one; one load per visitor at a time. */
  private load(companyId: string, visitorId: string, at: number): Promise<Known> {
    const k = key(companyId, visitorId);
    const hit = this.known.get(k);
    if (hit) return Promise.resolve(hit);
    let p = this.loading.get(k);
    if (!p) {
      p = this.o.store.visitor(companyId, visitorId).then((record) => {
        const known: Known = {
          record: record ?? {
            visitorId, name: '', firstSeen: at, lastSeen: at, visitCount: 0, ip: '', region: '', userAgent: '', language: '', visit: null,
          },
          stored: record !== null,
        };
        this.known.set(k, known);
        return known;
      }).finally(() => this.loading.delete(k));
      this.loading.set(k, p);
    }
    return p;
  }

  private markDirty(companyId: string, record: VisitorRecord): void {
    let m = this.dirty.get(companyId);
    if (!m) this.dirty.set(companyId, (m = new Map()));
    m.set(record.visitorId, record);
  }

  private async writeDirty(): Promise<void> {
    const batches = [...this.dirty];
    this.dirty.clear();
    for (const [companyId, m] of batches) {
      const rows = [...m.values()];
      try {
        await this.o.store.saveVisitors(companyId, rows);
        for (const r of rows) {
          const known = this.known.get(key(companyId, r.visitorId));
          if (known) known.stored = true;
        }
      } catch (err) {
        this.log.error({ err, companyId, rows: rows.length }, 'saving visitors failed; retrying with the next flush');
        // Put back what a newer page view has not already replaced.
        for (const r of rows) {
          const d = this.dirty.get(companyId);
          if (!d?.has(r.visitorId)) this.markDirty(companyId, r);
        }
      }
    }
  }

  private sweep(): void {
    this.live.sweep();
    // Forget visitors whose visit has ended and who are saved: the next view reloads them.
    const now = this.now();
    for (const [k, known] of this.known) {
      const [companyId, visitorId] = k.split('/') as [string, string];
      if (now - known.record.lastSeen < this.idleMs || this.dirty.get(companyId)?.has(visitorId)) continue;
      // Unsaved means DNT: nothing to keep once they are gone from the live list.
      if (known.stored || !this.live.isLive(companyId, visitorId)) this.known.delete(k);
    }
  }

  private snapshots(): void {
    for (const companyId of this.live.companyIds()) {
      if (this.o.hasWatchers && !this.o.hasWatchers(companyId)) continue;
      this.o.publish(companyId, { v: 1, type: 'visitors.snapshot', visitors: this.live.list(companyId) });
    }
  }
}

const key = (companyId: string, visitorId: string) => `${companyId}/${visitorId}`;
const newVisitId = () => `vs_${randomBytes(12).toString('base64url')}`;

/** A known visitor without a visit in progress still carries their visit count. */
function previousState(rec: VisitorRecord): VisitState | null {
  if (rec.visit) return rec.visit.state;
  if (rec.visitCount === 0) return null;
  return { visitId: '', startedAt: 0, lastSeenAt: 0, lastPageAt: 0, visitCount: rec.visitCount, pages: 0, source: '' };
}
