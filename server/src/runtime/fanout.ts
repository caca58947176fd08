// Where runtime output goes: named audiences, not sockets. The gateway implements
// this with uWS topics (and the cluster bus across nodes).
import type { AgentOut, VisitorOut } from '../../../protocol/index.js';

export interface Fanout {
  toVisitor(companyId: string, visitorId: string, frame: VisitorOut): void;
  toAgent(companyId: string, agentId: string, frame: AgentOut): void;
  /** agents of the company who may see the waiting list */
  toQueueWatchers(companyId: string, frame: AgentOut): void;
  /** every visitor socket of the company (widget state) */
  toCompanyVisitors(companyId: string, frame: VisitorOut): void;
  /** visitor sockets of one routing scope (`company`, `group:<id>`, `agent:<id>`): widget state per scope */
  toScopeVisitors(companyId: string, scope: string, frame: VisitorOut): void;
  /** agents of the company watching live visitors (C1 visitor feed) */
  toVisitorWatchers(companyId: string, frame: AgentOut): void;
}

export const topics = {
  visitor: (c: string, v: string) => `v/${c}/${v}`,
  agent: (c: string, a: string) => `a/${c}/${a}`,
  queue: (c: string) => `q/${c}`,
  companyVisitors: (c: string) => `w/${c}`,
  /** a visitor socket subscribes to exactly one scope topic; `company` is the company topic */
  scopeVisitors: (c: string, scope: string) => (scope === 'company' ? `w/${c}` : `w/${c}/${scope}`),
  visitorFeed: (c: string) => `f/${c}`,
};
