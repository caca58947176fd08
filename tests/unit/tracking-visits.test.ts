import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  advanceVisit, attributionKey, touchVisit, visitEnded, VISIT_IDLE_MS, type PageViewSource, type VisitState,
} from '../../server/src/domain/tracking/visits.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 8);
const noUtm = { source: null, medium: null, campaign: null };
const direct: PageViewSource = { referrer: { kind: 'direct', engine: null, keyword: null, host: null }, utm: noUtm };
const internal: PageViewSource = { referrer: { kind: 'internal', engine: null, keyword: null, host: 'shop.example.com' }, utm: noUtm };
const site: PageViewSource = { referrer: { kind: 'site', engine: null, keyword: null, host: 'alipay.com' }, utm: noUtm };
const search = (keyword: string): PageViewSource => ({
  referrer: { kind: 'search', engine: 'baidu', keyword, host: 'www.baidu.com' }, utm: noUtm,
});
const campaign = (c: string): PageViewSource => ({ referrer: direct.referrer, utm: { source: 'wx', medium: 'social', campaign: c } });

function ids() {
  let n = 0;
  return () => `v${++n}`;
}

describe('I1 visit sessionisation', () => {
  it('the first page view opens visit 1 of a new visitor', () => {
    const s = advanceVisit(null, { at: T0, source: search('退货') }, ids());
    expect(s).toEqual({
      state: { visitId: 'v1', startedAt: T0, lastSeenAt: T0, lastPageAt: T0, visitCount: 1, pages: 1, source: 'search:baidu|退货' },
      isNewVisit: true, visitNumber: 1, isNewVisitor: true, previousTimeOnPageMs: null,
    });
  });

  it('internal navigation continues the visit and times the previous page', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: direct }, id);
    const b = advanceVisit(a.state, { at: T0 + 45_000, source: internal }, id);
    expect(b).toMatchObject({ isNewVisit: false, visitNumber: 1, isNewVisitor: true, previousTimeOnPageMs: 45_000 });
    expect(b.state).toMatchObject({ visitId: 'v1', pages: 2, lastPageAt: T0 + 45_000 });
  });

  it('29:59 idle continues, 30:00 idle splits', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: direct }, id);
    expect(advanceVisit(a.state, { at: T0 + VISIT_IDLE_MS - 1, source: internal }, id).isNewVisit).toBe(false);
    const c = advanceVisit(a.state, { at: T0 + VISIT_IDLE_MS, source: internal }, id);
    expect(c).toMatchObject({ isNewVisit: true, visitNumber: 2, isNewVisitor: false, previousTimeOnPageMs: 0 });
    expect(c.state).toMatchObject({ visitId: 'v2', visitCount: 2, pages: 1, source: 'direct' });
  });

  it('a new search keyword or campaign splits; the same one (a reload) does not', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: search('退货') }, id);
    const reload = advanceVisit(a.state, { at: T0 + MIN, source: search('退货') }, id);
    expect(reload.isNewVisit).toBe(false);
    const other = advanceVisit(reload.state, { at: T0 + 2 * MIN, source: search('优惠券') }, id);
    expect(other).toMatchObject({ isNewVisit: true, visitNumber: 2, previousTimeOnPageMs: 0 });
    const camp = advanceVisit(other.state, { at: T0 + 3 * MIN, source: campaign('双11') }, id);
    expect(camp).toMatchObject({ isNewVisit: true, visitNumber: 3 });
    expect(camp.state.source).toBe('utm:wx|social|双11');
  });

  it('a referring site (payment return) does not split', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: direct }, id);
    expect(advanceVisit(a.state, { at: T0 + 5 * MIN, source: site }, id).isNewVisit).toBe(false);
  });

  it('heartbeats keep a visit alive and time the exit page', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: direct }, id);
    let st: VisitState = a.state;
    for (let m = 10; m <= 50; m += 10) st = touchVisit(st, T0 + m * MIN);
    const cont = advanceVisit(st, { at: T0 + 55 * MIN, source: internal }, id);
    expect(cont).toMatchObject({ isNewVisit: false, previousTimeOnPageMs: 55 * MIN });
    const later = advanceVisit(cont.state, { at: T0 + 60 * MIN, source: internal }, id);
    const stale = touchVisit(later.state, T0 + 62 * MIN);
    const next = advanceVisit(stale, { at: T0 + 200 * MIN, source: internal }, id);
    expect(next).toMatchObject({ isNewVisit: true, previousTimeOnPageMs: 2 * MIN });
  });

  it('a heartbeat after the idle limit does not revive the visit', () => {
    const a = advanceVisit(null, { at: T0, source: direct }, ids());
    expect(touchVisit(a.state, T0 + VISIT_IDLE_MS)).toBe(a.state);
    expect(touchVisit(a.state, T0 - 1)).toBe(a.state);
    expect(visitEnded(a.state, T0 + VISIT_IDLE_MS)).toBe(true);
    expect(visitEnded(a.state, T0 + VISIT_IDLE_MS - 1)).toBe(false);
  });

  it('a late event is treated as simultaneous', () => {
    const id = ids();
    const a = advanceVisit(null, { at: T0, source: direct }, id);
    const late = advanceVisit(a.state, { at: T0 - 5 * MIN, source: internal }, id);
    expect(late).toMatchObject({ isNewVisit: false, previousTimeOnPageMs: 0 });
    expect(late.state.lastSeenAt).toBe(T0);
  });

  it.each<[PageViewSource, string | null]>([
    [direct, null], [internal, null], [site, null], [search('x'), 'search:baidu|x'], [campaign('c'), 'utm:wx|social|c'],
  ])('attributionKey %#', (src, key) => {
    expect(attributionKey(src)).toBe(key);
  });
});

describe('I1 visit sessionisation properties', () => {
  const sources = [direct, internal, site, search('a'), search('b'), campaign('c')];
  const stepArb = fc.record({
    gap: fc.oneof(fc.integer({ min: 0, max: 10 * MIN }), fc.integer({ min: 0, max: 3 * VISIT_IDLE_MS })),
    src: fc.integer({ min: 0, max: sources.length - 1 }),
    beats: fc.array(fc.integer({ min: 0, max: VISIT_IDLE_MS }), { maxLength: 3 }),
  });

  it('visits never overlap, count increments exactly at splits, and every visit has one landing page', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const id = ids();
        let state: VisitState | null = null;
        let t = T0;
        const visits = new Map<string, { start: number; end: number; pages: number; landings: number }>();
        let count = 0;
        for (const step of steps) {
          t += step.gap;
          const src = sources[step.src]!;
          const prev: VisitState | null = state;
          const r = advanceVisit(prev, { at: t, source: src }, id);
          const expectedSplit = prev === null
            || t - prev.lastSeenAt >= VISIT_IDLE_MS
            || (attributionKey(src) !== null && attributionKey(src) !== prev.source);
          expect(r.isNewVisit).toBe(expectedSplit);
          if (r.isNewVisit) count++;
          expect(r.state.visitCount).toBe(count);
          expect(r.visitNumber).toBe(count);
          expect(r.isNewVisitor).toBe(count === 1);
          if (prev) expect(r.previousTimeOnPageMs).toBeGreaterThanOrEqual(0);
          const v = visits.get(r.state.visitId) ?? { start: t, end: t, pages: 0, landings: 0 };
          v.end = t;
          v.pages++;
          if (r.isNewVisit) v.landings++;
          visits.set(r.state.visitId, v);
          expect(r.state.pages).toBe(v.pages);
          state = r.state;
          for (const b of step.beats) {
            state = touchVisit(state, t + b);
            t = Math.max(t, state.lastSeenAt);
          }
        }
        const list = [...visits.values()];
        list.forEach((v, i) => {
          expect(v.landings).toBe(1);
          if (i > 0) expect(v.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
        });
        expect(visits.size).toBe(count);
      }),
    );
  });
});
