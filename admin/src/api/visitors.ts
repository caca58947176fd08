// C1/C2 live visitors: the list the server holds now and one visitor's trail.
// Frames (visitors.snapshot / visitor.updated / visitor.left) keep it current.
import type { LiveVisitor } from '../../../protocol/agent-frames';
import { request } from './http';

export interface TrailEntry {
  at: number;
  url: string;
  title: string;
  referrer: string;
  engine: string;
  keyword: string;
}

export const listVisitors = () => request<{ items: LiveVisitor[] }>('GET', '/api/v1/visitors').then((r) => r.items);

export const visitorTrail = (id: string) =>
  request<{ visitor: LiveVisitor; trail: TrailEntry[] }>('GET', `/api/v1/visitors/${encodeURIComponent(id)}/trail`);
