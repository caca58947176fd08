// What the visit tracker keeps in Postgres: per visitor, the visit in progress
// (so a restart continues it instead of counting a new visit) and the C1
// columns; per company, the Do-Not-Track switch and the L1 member secret.
// Every method is scoped to a company.
import type { VisitState } from '../domain/tracking/visits.js';
import type { PageViewRow } from '../domain/tracking/page-view.js';

export interface StoredVisit {
  state: VisitState;
  /** The visit's landing page view: source and context of the visits row. */
  landing: PageViewRow;
  exit: { url: string; path: string };
  /** a conversation happened during the visit (visits.chatted) */
  chatted: boolean;
}

export interface VisitorRecord {
  visitorId: string;
  name: string;
  firstSeen: number;
  lastSeen: number;
  visitCount: number;
  ip: string;
  region: string;
  userAgent: string;
  language: string;
  visit: StoredVisit | null;
}

export interface TrackingSettings {
  honourDnt: boolean;
  /** HMAC secret for member tokens (docs/member-integration.md); made on first use. */
  memberSecret: string;
  /** the secret before the last rotation, still accepted; null before any rotation */
  previousMemberSecret: string | null;
}

export interface VisitorStore {
  /** null for a visitor never seen. */
  visitor(companyId: string, visitorId: string): Promise<VisitorRecord | null>;
  /** Upserts many visitors of one company in one transaction; later rows win. */
  saveVisitors(companyId: string, rows: readonly VisitorRecord[]): Promise<void>;
  /** Creates the row, with a fresh member secret, on first use. */
  trackingSettings(companyId: string): Promise<TrackingSettings>;
  setHonourDnt(companyId: string, on: boolean): Promise<TrackingSettings>;
  /** New secret; the current one becomes the previous one. */
  rotateMemberSecret(companyId: string): Promise<TrackingSettings>;
}
